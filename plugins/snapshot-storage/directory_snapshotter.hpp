// A snapshotter that keeps each snapshot as a directory under its root and
// its records in a MetaStore, handing out the Mount lists of a SnapshotLayout
// (overlay's, aufs's): everything an in-tree snapshotter plugin does but
// stacking layers. Safe to call from many threads at once: the records
// serialise their own writes.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tenon/mount.hpp>
#include <vector>

#include "disk_usage.hpp"
#include "meta_store.hpp"
#include "snapshot_dirs.hpp"
#include "snapshot_layout.hpp"

namespace tenon::snapshot_storage {

class DirectorySnapshotter {
 public:
  using Warn = std::function<void(const std::string&)>;

  // Opens (or creates) the snapshotter in `layout`'s root and removes what a crash left.
  DirectorySnapshotter(std::unique_ptr<const SnapshotLayout> layout, Warn warn);

  std::vector<Mount> prepare(std::string_view key, std::string_view parent, const Labels& labels);
  std::vector<Mount> view(std::string_view key, std::string_view parent, const Labels& labels);
  std::vector<Mount> mounts(std::string_view key) const;
  void commit(std::string_view name, std::string_view key, const Labels& labels);
  void remove(std::string_view key);
  Snapshot stat(std::string_view key) const { return store_.get(key); }
  Snapshot update(std::string_view key, const Labels& labels) { return store_.updateLabels(key, labels); }
  DiskUsage usage(std::string_view key) const;
  void walk(const std::function<void(const Snapshot&)>& visit) const { store_.walk(visit); }
  // Deletes the directories no record names; returns their names.
  std::vector<std::string> cleanup();

 private:
  std::vector<Mount> create(Kind kind, std::string_view key, std::string_view parent, const Labels& labels);

  std::unique_ptr<const SnapshotLayout> layout_;
  SnapshotDirs dirs_;
  MetaStore store_;
  Warn warn_;
  // A creation makes its directory before its record exists, and cleanup
  // deletes directories without a record: the two must not overlap.
  // Creations and removals share this lock; cleanup holds it alone.
  std::shared_mutex dirsLock_;
};

}  // namespace tenon::snapshot_storage
