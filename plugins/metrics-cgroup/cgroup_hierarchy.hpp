// Where a task's cgroup lives, found through libcgroup: cgroup_init reads the
// host's mount table once, and cgroup_get_subsys_mount_point names each
// controller's mount. A controller mounted as cgroup2 means the unified
// hierarchy (v2); otherwise each v1 controller has a hierarchy of its own
// (on a hybrid host the empty unified mount carries no controller and is ignored).
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace tenon::metrics_cgroup {

// The directories of one task's cgroup.
struct CgroupDirs {
  bool unified = false;
  std::filesystem::path unifiedDir;                          // v2: every controller's files
  std::map<std::string, std::filesystem::path> controllers;  // v1: "memory" → /sys/fs/cgroup/memory/<path>

  // The directory holding `controller`'s files; empty when it is not mounted.
  std::filesystem::path dirOf(const std::string& controller) const;
};

class CgroupHierarchy {
 public:
  // Initialises libcgroup; throws unavailable when no cgroup hierarchy is mounted.
  CgroupHierarchy();

  // The directories of the cgroup at `cgroupsPath` (the OCI spec's
  // linux.cgroupsPath, "/tenon/<ns>/<id>"): invalid_argument for a path that
  // would leave the hierarchy or a systemd "slice:prefix:name" path;
  // not_found when the cgroup does not exist (not created yet, or removed).
  CgroupDirs locate(const std::string& cgroupsPath) const;

  bool unified() const { return unified_; }

 private:
  bool unified_ = false;
  std::filesystem::path unifiedMount_;
  std::map<std::string, std::filesystem::path> mounts_;  // v1 controller → its hierarchy's mount
};

}  // namespace tenon::metrics_cgroup
