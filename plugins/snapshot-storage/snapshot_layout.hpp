// Where a snapshotter built on this library keeps things under its root, and
// the Mount lists all of them hand out alike:
//   <root>/metadata.db/        the records (MetaStore)
//   <root>/snapshots/<id>/fs   the layer: written while active, a read-only branch once committed
//   <root>/snapshots/<id>/work scratch space of the filesystem (overlay's workdir), where it needs one
// Ids are short decimals (see Snapshot::id) so that each branch of a chain
// costs few bytes of the one page of options mount(2) takes.
//
// A snapshot that stacks nothing is a bind mount, whatever the filesystem:
//  - active, no parent: bind of its fs, {"rbind","rw"};
//  - view of one layer: bind of that layer's fs, {"rbind","ro"};
//  - view of nothing: bind of its own (empty) fs, read-only.
// Everything else stacks layers, which is what a subclass says how to do.
// Committed snapshots are not mounted (failed_precondition), as in containerd.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <tenon/mount.hpp>
#include <vector>

#include "snapshot_record.hpp"

namespace tenon::snapshot_storage {

class SnapshotLayout {
 public:
  virtual ~SnapshotLayout() = default;

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path metadata() const { return root_ / "metadata.db"; }
  std::filesystem::path snapshots() const { return root_ / "snapshots"; }
  std::filesystem::path dir(uint64_t id) const { return snapshots() / std::to_string(id); }
  std::filesystem::path fs(uint64_t id) const { return dir(id) / "fs"; }
  std::filesystem::path work(uint64_t id) const { return dir(id) / "work"; }

  // Whether an active snapshot gets a work directory next to its fs.
  virtual bool hasWorkDir() const = 0;
  // Names the filesystem writes at the top of a writable layer for its own
  // use, which are not the layer's content (usage leaves them out).
  virtual std::vector<std::string> bookkeeping() const { return {}; }

  // The mounts of snapshot `id` of `kind` over `parentIds` (nearest first).
  // Throws failed_precondition for a committed snapshot, and what stack()
  // throws for a chain the filesystem cannot mount.
  std::vector<Mount> mounts(Kind kind, uint64_t id, const std::vector<uint64_t>& parentIds) const;

 protected:
  // Refuses (invalid_argument) a root holding any of `separators`: the
  // filesystem `type` splits its options there, so a path holding one would
  // be cut in the wrong place.
  SnapshotLayout(std::filesystem::path root, std::string_view type, std::string_view separators);

  // The mounts of the writable layer `upper` (nullopt for a read-only view)
  // on `parentIds` (nearest first: at least one, at least two for a view).
  virtual std::vector<Mount> stack(std::optional<uint64_t> upper, const std::vector<uint64_t>& parentIds) const = 0;

 private:
  std::filesystem::path root_;
};

}  // namespace tenon::snapshot_storage
