// The `--mount` flag, in containerd's syntax:
//   type=bind,src=/host/dir,dst=/in/container,options=rbind:ro
// Keys: type, source|src, destination|dst|target, options (':'-separated).
#pragma once

#include <string_view>

#include <tenon/mount.hpp>

namespace tenon::oci {

// Parses one `--mount` value. Throws Error(INVALID_ARGUMENT) quoting the whole
// flag and saying what is wrong: a field without '=', an unknown or repeated
// key, a missing type or destination, a relative path, an empty option.
// A bind mount without "bind"/"rbind" in its options gets "rbind".
Mount parseMountFlag(std::string_view text);

}  // namespace tenon::oci
