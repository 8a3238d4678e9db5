// The OCI runtime spec (runtime-spec 1.1, config.json) of one container:
// containerd's defaults (spec_defaults.hpp), shaped by the image's config and
// the user's options. The one header a caller needs:
//
//   ImageConfig image = parseImageConfig(configBlob);
//   User user = resolveUser(mountedRootfs, requestedUser(image, options));
//   nlohmann::json spec = buildSpec(image, options, user);
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "oci/image_config.hpp"
#include "oci/mount_flag.hpp"
#include "oci/process_spec.hpp"
#include "oci/spec_options.hpp"
#include "oci/user_lookup.hpp"

namespace tenon::oci {

inline constexpr std::string_view kOciVersion = "1.1.0";

// The user to resolve: --user when given, else the image's User ("" is root).
std::string_view requestedUser(const ImageConfig& image, const SpecOptions& options);

// The whole spec: processSpec's process; root "rootfs" (read-only with
// --read-only); the hostname (--hostname, else the host's with --net-host,
// else the container id, cut at 64 bytes); the default mounts with the
// user's appended (a user mount replaces a default one at the same target);
// pid, ipc, uts, mount and network namespaces (no network one with
// --net-host, joined at --netns, plus cgroup with cgroupNs); masked and
// read-only paths (none when privileged); cgroupsPath /tenon/<ns>/<id>;
// linuxResources. Throws Error(INVALID_ARGUMENT) naming the option at fault.
nlohmann::json buildSpec(const ImageConfig& image, const SpecOptions& options, const User& user);

}  // namespace tenon::oci
