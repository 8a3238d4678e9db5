// The overlayfs snapshotter: snapshot records (snapshot-storage) plus one
// directory per snapshot, handing out bind or overlay Mount lists. Safe to
// call from many threads at once: the records serialise their own writes.
#pragma once

#include <filesystem>
#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tenon/mount.hpp>
#include <vector>

#include "disk_usage.hpp"
#include "overlay_layout.hpp"
#include "snapshot-storage/meta_store.hpp"
#include "snapshot_dirs.hpp"

namespace tenon::snapshot_overlay {

using snapshot_storage::Kind;
using snapshot_storage::Labels;
using snapshot_storage::Snapshot;

class OverlaySnapshotter {
 public:
  using Warn = std::function<void(const std::string&)>;

  // Opens (or creates) the snapshotter in `root` and removes what a crash left.
  OverlaySnapshotter(const std::filesystem::path& root, Warn warn);

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

  OverlayLayout layout_;
  SnapshotDirs dirs_;
  snapshot_storage::MetaStore store_;
  Warn warn_;
  // A creation makes its directory before its record exists, and cleanup
  // deletes directories without a record: the two must not overlap.
  // Creations and removals share this lock; cleanup holds it alone.
  std::shared_mutex dirsLock_;
};

}  // namespace tenon::snapshot_overlay
