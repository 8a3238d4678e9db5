#include "directory_snapshotter.hpp"

#include <mutex>
#include <optional>
#include <set>

namespace tenon::snapshot_storage {

DirectorySnapshotter::DirectorySnapshotter(std::unique_ptr<const SnapshotLayout> layout, Warn warn)
    : layout_(std::move(layout)), dirs_(*layout_), store_(layout_->metadata()), warn_(std::move(warn)) {
  std::vector<std::string> strays = cleanup();
  if (!strays.empty()) warn_("removed " + std::to_string(strays.size()) + " snapshot directories no record names");
}

std::vector<Mount> DirectorySnapshotter::prepare(std::string_view key, std::string_view parent, const Labels& labels) {
  return create(Kind::active, key, parent, labels);
}

std::vector<Mount> DirectorySnapshotter::view(std::string_view key, std::string_view parent, const Labels& labels) {
  return create(Kind::view, key, parent, labels);
}

std::vector<Mount> DirectorySnapshotter::create(Kind kind, std::string_view key, std::string_view parent,
                                                const Labels& labels) {
  std::shared_lock lock(dirsLock_);
  std::vector<Mount> mounts;
  std::optional<uint64_t> made;
  // Runs inside the record's transaction: the mounts are checked before any
  // directory exists, and the directory exists before the record commits.
  auto materialise = [&](const SnapshotChain& c) {
    mounts = layout_->mounts(kind, c.snapshot.id, c.parentIds);
    std::optional<uint64_t> nearest;
    if (!c.parentIds.empty()) nearest = c.parentIds.front();
    dirs_.create(c.snapshot.id, kind == Kind::active && layout_->hasWorkDir(), nearest);
    made = c.snapshot.id;
  };
  try {
    if (kind == Kind::active)
      store_.createActive(key, parent, labels, materialise);
    else
      store_.createView(key, parent, labels, materialise);
  } catch (...) {
    if (made) {
      if (std::string why = dirs_.remove(*made); !why.empty()) warn_("left for cleanup: " + why);
    }
    throw;
  }
  return mounts;
}

std::vector<Mount> DirectorySnapshotter::mounts(std::string_view key) const {
  SnapshotChain c = store_.chain(key);
  return layout_->mounts(c.snapshot.kind, c.snapshot.id, c.parentIds);
}

void DirectorySnapshotter::commit(std::string_view name, std::string_view key, const Labels& labels) {
  store_.commit(name, key, labels);
}

void DirectorySnapshotter::remove(std::string_view key) {
  std::shared_lock lock(dirsLock_);
  Snapshot removed = store_.remove(key);
  if (std::string why = dirs_.remove(removed.id); !why.empty())
    warn_("snapshot " + removed.key + " is removed but its directory is left for cleanup: " + why);
}

DiskUsage DirectorySnapshotter::usage(std::string_view key) const {
  return diskUsage(layout_->fs(store_.get(key).id), layout_->bookkeeping());
}

std::vector<std::string> DirectorySnapshotter::cleanup() {
  std::unique_lock lock(dirsLock_);
  std::set<uint64_t> recorded;
  store_.walk([&](const Snapshot& s) { recorded.insert(s.id); });
  return dirs_.removeStrays(recorded);
}

}  // namespace tenon::snapshot_storage
