#include "oci/spec_builder.hpp"

#include <fmt/format.h>
#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tenon/error.hpp>

#include "oci/linux_resources.hpp"
#include "oci/spec_defaults.hpp"
#include "oci/spec_text.hpp"

namespace tenon::oci {

namespace {

using Json = nlohmann::json;

// Both become path segments of cgroupsPath. They are validated where records
// are made; checked here too because a "../.." here would move the container
// into another cgroup.
void requireSegment(std::string_view what, std::string_view value) {
  requireSpecText(what, value);
  if (value.empty() || value == "." || value == ".." || value.find('/') != std::string_view::npos)
    refuse(what, value, "it must be a non-empty name without '/'");
}

std::string hostHostname() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0)
    fail(TENON_INTERNAL, fmt::format("cannot read the host's hostname: {}", std::strerror(errno)));
  return name;
}

std::string hostname(const SpecOptions& options) {
  if (options.hostname) {
    const std::string& name = *options.hostname;
    requireSpecText("--hostname", name);
    if (name.empty() || name.size() > HOST_NAME_MAX)
      refuse("--hostname", name, fmt::format("it must have 1 to {} bytes", HOST_NAME_MAX));
    return name;
  }
  // With the host's network, ctr and docker show the host's name, which is what
  // the network (and its users) know this machine by.
  if (options.netHost) return hostHostname();
  // sethostname() takes at most 64 bytes; container ids may have 76.
  return options.id.substr(0, HOST_NAME_MAX);
}

Json mountJson(const Mount& mount) {
  return {{"destination", mount.target}, {"type", mount.type}, {"source", mount.source}, {"options", mount.options}};
}

Json mounts(const SpecOptions& options) {
  auto userMounted = [&](const Mount& m) {
    return std::any_of(options.mounts.begin(), options.mounts.end(),
                       [&](const Mount& u) { return u.target == m.target; });
  };
  Json list = Json::array();
  for (const Mount& mount : defaultMounts(options.privileged))
    if (!userMounted(mount)) list.push_back(mountJson(mount));
  for (const Mount& mount : options.mounts) list.push_back(mountJson(mount));
  return list;
}

Json networkNamespace(const std::string& path) {
  Json ns{{"type", "network"}};
  if (path.empty()) return ns;
  requireSpecText("--netns", path);
  if (path.front() != '/') refuse("--netns", path, "it is not an absolute path");
  ns["path"] = path;
  return ns;
}

Json namespaces(const SpecOptions& options) {
  if (options.netHost && !options.netnsPath.empty())
    fail(TENON_INVALID_ARGUMENT, "--net-host and --netns cannot be used together");
  Json list = Json::array({{{"type", "pid"}}, {{"type", "ipc"}}, {{"type", "uts"}}, {{"type", "mount"}}});
  if (!options.netHost) list.push_back(networkNamespace(options.netnsPath));
  if (options.cgroupNs) list.push_back({{"type", "cgroup"}});
  return list;
}

Json linuxSection(const SpecOptions& options) {
  // containerd's WithPrivileged: a privileged container sees all of /proc and /sys.
  return {{"namespaces", namespaces(options)},
          {"maskedPaths", options.privileged ? Json::array() : Json(kMaskedPaths)},
          {"readonlyPaths", options.privileged ? Json::array() : Json(kReadonlyPaths)},
          {"cgroupsPath", fmt::format("/tenon/{}/{}", options.ns, options.id)},
          {"resources", linuxResources(options)}};
}

}  // namespace

std::string_view requestedUser(const ImageConfig& image, const SpecOptions& options) {
  return options.user ? std::string_view(*options.user) : std::string_view(image.user);
}

Json buildSpec(const ImageConfig& image, const SpecOptions& options, const User& user) {
  requireSegment("namespace", options.ns);
  requireSegment("container id", options.id);
  return {{"ociVersion", kOciVersion},
          {"process", processSpec(image, options, user)},
          {"root", {{"path", "rootfs"}, {"readonly", options.readOnly}}},
          {"hostname", hostname(options)},
          {"mounts", mounts(options)},
          {"linux", linuxSection(options)}};
}

}  // namespace tenon::oci
