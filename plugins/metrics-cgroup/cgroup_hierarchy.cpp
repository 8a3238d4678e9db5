#include "cgroup_hierarchy.hpp"

#include <libcgroup.h>
#include <linux/magic.h>
#include <sys/vfs.h>

#include <cstdlib>
#include <memory>
#include <tenon/error.hpp>

namespace tenon::metrics_cgroup {

namespace {

// The controllers the plugin reads.
constexpr const char* kControllers[] = {"cpu", "cpuacct", "memory", "pids", "blkio"};

bool isCgroup2(const std::filesystem::path& mount) {
  struct statfs fs {};
  return ::statfs(mount.c_str(), &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

// The mount point libcgroup found for `controller`, "" when it is not mounted.
std::string mountPointOf(const char* controller) {
  char* raw = nullptr;
  if (cgroup_get_subsys_mount_point(controller, &raw) != 0 || raw == nullptr) return "";
  std::unique_ptr<char, decltype(&std::free)> owned(raw, &std::free);
  return raw;
}

// cgroupsPath relative to a hierarchy's root, refusing what could escape it.
std::filesystem::path relativeCgroup(const std::string& cgroupsPath) {
  if (cgroupsPath.empty()) fail(TENON_INVALID_ARGUMENT, "the task has no cgroup path");
  if (cgroupsPath.find(':') != std::string::npos)
    fail(TENON_INVALID_ARGUMENT, "systemd cgroup paths (\"" + cgroupsPath + "\") are not supported");
  std::filesystem::path relative = std::filesystem::path(cgroupsPath).relative_path().lexically_normal();
  for (const auto& part : relative)
    if (part == "..") fail(TENON_INVALID_ARGUMENT, "cgroup path \"" + cgroupsPath + "\" leaves the hierarchy");
  return relative;
}

}  // namespace

std::filesystem::path CgroupDirs::dirOf(const std::string& controller) const {
  if (unified) return unifiedDir;
  auto found = controllers.find(controller);
  return found == controllers.end() ? std::filesystem::path() : found->second;
}

CgroupHierarchy::CgroupHierarchy() {
  if (int rc = cgroup_init(); rc != 0)
    fail(TENON_UNAVAILABLE, std::string("libcgroup cannot find the cgroup hierarchies: ") + cgroup_strerror(rc));
  for (const char* controller : kControllers) {
    std::string mount = mountPointOf(controller);
    if (mount.empty()) continue;
    if (isCgroup2(mount)) {
      unified_ = true;
      unifiedMount_ = mount;
    } else {
      mounts_[controller] = mount;
    }
  }
  if (!unified_ && mounts_.empty()) fail(TENON_UNAVAILABLE, "none of the cpu, memory, pids and blkio controllers is mounted");
}

CgroupDirs CgroupHierarchy::locate(const std::string& cgroupsPath) const {
  std::filesystem::path relative = relativeCgroup(cgroupsPath);
  CgroupDirs dirs;
  dirs.unified = unified_;
  if (unified_) {
    dirs.unifiedDir = unifiedMount_ / relative;
    if (!std::filesystem::is_directory(dirs.unifiedDir)) fail(TENON_NOT_FOUND, "cgroup " + cgroupsPath + " does not exist");
    return dirs;
  }
  for (const auto& [controller, mount] : mounts_)
    if (std::filesystem::is_directory(mount / relative)) dirs.controllers[controller] = mount / relative;
  if (dirs.controllers.empty()) fail(TENON_NOT_FOUND, "cgroup " + cgroupsPath + " does not exist");
  return dirs;
}

}  // namespace tenon::metrics_cgroup
