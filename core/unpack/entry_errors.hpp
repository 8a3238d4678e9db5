// The two ways applying a layer entry fails, worded the same everywhere so
// that every error names the entry, in one line:
//   entry "<name>" refused: <why>      (the layer is hostile or malformed)
//   entry "<name>": <doing>: <errno>   (a system call failed)
#pragma once

#include <string>

namespace tenon::unpack {

// Throws invalid_argument: the layer asks for something unpack will not do.
[[noreturn]] void refuseEntry(const std::string& entry, const std::string& why);

// Throws the error of a failed call about `entry`: what it was doing and
// errno's text; the code follows errno (no space: resource_exhausted).
[[noreturn]] void failErrno(int error, const std::string& entry, const std::string& doing);

}  // namespace tenon::unpack
