#include "plugin/task_bundle.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <tenon/error.hpp>
#include <tenon/mounter.hpp>

#include "common/files.hpp"

namespace tenon::runtime_runc {

namespace stdfs = std::filesystem;

json parseSpec(const std::string& specJson) {
  json spec = parseObject(specJson, "the OCI spec");
  if (!spec.contains("process") || !spec["process"].is_object())
    fail(TENON_INVALID_ARGUMENT, "the OCI spec has no `process` object");
  return spec;
}

std::string settleCgroupPath(json& spec, const std::string& ns, const std::string& id) {
  json& linuxSection = spec["linux"];
  if (!linuxSection.is_object()) linuxSection = json::object();
  if (linuxSection.contains("cgroupsPath") && linuxSection["cgroupsPath"].is_string() &&
      !linuxSection["cgroupsPath"].get<std::string>().empty())
    return linuxSection["cgroupsPath"].get<std::string>();
  std::string path = "/tenon/" + ns + "/" + id;
  linuxSection["cgroupsPath"] = path;
  return path;
}

std::string runtimeSpec(json spec, const stdfs::path& rootfs, bool terminal) {
  json& root = spec["root"];
  if (!root.is_object()) root = json::object();
  root["path"] = rootfs.string();
  spec["process"]["terminal"] = terminal;
  return spec.dump(2);
}

NewBundle::NewBundle(BundleLayout bundle) : bundle_(std::move(bundle)) {
  // The namespace's directory may vanish with its last task's removal in
  // between (removeBundle): then it is made again.
  for (int attempt = 0;; ++attempt) {
    makeDirectory(bundle_.dir.parent_path(), 0711);
    if (::mkdir(bundle_.dir.c_str(), 0711) == 0) break;
    if (errno == ENOENT && attempt < 3) continue;
    if (errno == EEXIST) fail(TENON_ALREADY_EXISTS, "the bundle " + bundle_.dir.string() + " exists already");
    fail(TENON_INTERNAL, "cannot create the bundle " + bundle_.dir.string() + ": " + std::strerror(errno));
  }
  ::chmod(bundle_.dir.c_str(), 0711);
}

NewBundle::~NewBundle() {
  if (kept_) return;
  try {
    removeBundle(bundle_);
  } catch (const std::exception&) {
    // What stays mounted is reported when the task is removed or recovered.
  }
}

void removeBundle(const BundleLayout& bundle) {
  if (!unmountAllUnder(bundle.rootfs())) {
    std::vector<std::string> left = mountPointsUnder(bundle.rootfs());
    fail(TENON_INTERNAL, "cannot unmount " + left.front() + "; the bundle " + bundle.dir.string() + " stays");
  }
  // rmdir, not a recursive delete: it fails rather than reach into a mount.
  if (::rmdir(bundle.rootfs().c_str()) != 0 && errno != ENOENT)
    fail(TENON_INTERNAL, "cannot remove " + bundle.rootfs().string() + ": " + std::strerror(errno));
  std::error_code ec;
  stdfs::remove_all(bundle.dir, ec);
  if (ec) fail(TENON_INTERNAL, "cannot remove the bundle " + bundle.dir.string() + ": " + ec.message());
  // The namespace's directory goes with its last task.
  ::rmdir(bundle.dir.parent_path().c_str());
}

}  // namespace tenon::runtime_runc
