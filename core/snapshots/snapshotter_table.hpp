// The core's C++ view of a snapshotter service (a tenon_snapshotter_service
// table and its self, as a plugin registered them): values instead of sinks
// and mount lists to release, tenon::Error (carrying the plugin's code and
// message) instead of statuses. A NULL function in the table is
// not_implemented. The view borrows the table: it must not outlive the
// plugin's fini. Keys here are the plugin's (backing) keys, not a namespace's.
#pragma once

#include <tenon/snapshotter.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <tenon/mount.hpp>
#include <tenon/plugin.hpp>
#include <vector>

namespace tenon::snapshots {

enum class SnapshotKind { view = TENON_SNAPSHOT_VIEW, active = TENON_SNAPSHOT_ACTIVE, committed = TENON_SNAPSHOT_COMMITTED };

using Labels = std::map<std::string, std::string>;

// What a snapshotter knows of one snapshot.
struct SnapshotInfo {
  SnapshotKind kind = SnapshotKind::active;
  std::string name;
  std::string parent;  // "" when it has none
  Labels labels;
  tenon_time created = 0;
  tenon_time updated = 0;
};

// Disk use of a snapshot's own layer.
struct SnapshotUsage {
  int64_t sizeBytes = 0;
  int64_t inodes = 0;
};

class SnapshotterTable {
 public:
  explicit SnapshotterTable(ServiceRef<tenon_snapshotter_service> service) : service_(service) {}

  // Creates the active snapshot `key` on the committed `parent` ("" for none); its mounts.
  std::vector<Mount> prepare(const std::string& key, const std::string& parent, const Labels& labels = {}) const;
  // Creates the read-only view `key` of `parent`; its mounts.
  std::vector<Mount> view(const std::string& key, const std::string& parent, const Labels& labels = {}) const;
  // The mounts of an existing active snapshot or view.
  std::vector<Mount> mounts(const std::string& key) const;
  // Turns the active `key` into the committed `name`.
  void commit(const std::string& name, const std::string& key, const Labels& labels = {}) const;
  // Deletes `key`, which must have no children.
  void remove(const std::string& key) const;
  SnapshotInfo stat(const std::string& key) const;
  // Replaces the labels of `key`; the updated info.
  SnapshotInfo update(const std::string& key, const Labels& labels) const;
  SnapshotUsage usage(const std::string& key) const;
  // Calls `visit` for each snapshot; what `visit` throws stops the walk and is rethrown.
  void walk(const std::function<void(const SnapshotInfo&)>& visit) const;
  // Removes what no snapshot record points to.
  void cleanup() const;

 private:
  ServiceRef<tenon_snapshotter_service> service_;
};

}  // namespace tenon::snapshots
