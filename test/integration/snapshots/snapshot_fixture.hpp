// What the snapshot integration tests share: a tenond with the in-tree content
// store and overlayfs snapshotter, ctr calls that must succeed, the snapshots
// a namespace lists, and mounts made with the lines `ctr snapshots mounts`
// prints (always unmounted).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "content_fixture.hpp"

#ifndef SNAPSHOT_OVERLAY_PLUGIN
#error "meson defines SNAPSHOT_OVERLAY_PLUGIN, the path of the built snapshot-overlay plugin"
#endif

namespace tenon::test {

inline constexpr const char* kSnapshotOverlayPlugin = SNAPSHOT_OVERLAY_PLUGIN;

// contentDaemonOptions() with the overlayfs snapshotter loaded too.
DaemonOptions snapshotDaemonOptions();


// One snapshot as `ctr snapshots ls --format json` lists it.
struct ListedSnapshot {
  std::string parent;
  std::string kind;  // "Active", "Committed" or "View"
  bool operator==(const ListedSnapshot&) const = default;
};

// The snapshots of namespace `ns`, by key.
std::map<std::string, ListedSnapshot> listedSnapshots(const TestDaemon& daemon, const std::string& ns = "default");

bool isMountPoint(const std::string& path);

// Mounts snapshot `key` of `ns` at `target` with the lines ctr prints; unmounts when destroyed.
class ShellMount {
 public:
  ShellMount(const TestDaemon& daemon, const std::string& target, const std::string& key,
             const std::string& ns = "default");
  ~ShellMount();
  ShellMount(const ShellMount&) = delete;
  ShellMount& operator=(const ShellMount&) = delete;

 private:
  std::string target_;
};

}  // namespace tenon::test
