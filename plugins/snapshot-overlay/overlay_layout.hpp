// Where the overlay snapshotter keeps things under its root, and the Mount
// list each kind of snapshot gets:
//   <root>/metadata.db/        the records (snapshot-storage)
//   <root>/snapshots/<id>/fs   the layer: upperdir while active, a lowerdir once committed
//   <root>/snapshots/<id>/work overlay's workdir (active snapshots only)
// Ids are short decimals so that a lowerdir entry costs len(<root>) + 16 bytes
// or so (see overlay_options.hpp for the one-page limit).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <tenon/mount.hpp>
#include <vector>

#include "snapshot-storage/snapshot_record.hpp"

namespace tenon::snapshot_overlay {

class OverlayLayout {
 public:
  explicit OverlayLayout(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path metadata() const { return root_ / "metadata.db"; }
  std::filesystem::path snapshots() const { return root_ / "snapshots"; }
  std::filesystem::path dir(uint64_t id) const { return snapshots() / std::to_string(id); }
  std::filesystem::path fs(uint64_t id) const { return dir(id) / "fs"; }
  std::filesystem::path work(uint64_t id) const { return dir(id) / "work"; }

  // The mounts of snapshot `id` of `kind` over `parentIds` (nearest first):
  //  - active, no parent: bind of its fs, {"rbind","rw"};
  //  - active on parents: overlay, index=off, workdir, upperdir, lowerdir;
  //  - view of one layer: bind of that layer's fs, {"rbind","ro"};
  //  - view of more: overlay with only lowerdir, which the kernel mounts read-only;
  //  - view of nothing: bind of its own (empty) fs, read-only.
  // Throws resource_exhausted when the chain cannot be mounted: more lower
  // layers than overlay stacks, or options longer than a page even compacted.
  // Committed snapshots are not mounted (failed_precondition), as in containerd.
  std::vector<Mount> mounts(snapshot_storage::Kind kind, uint64_t id, const std::vector<uint64_t>& parentIds) const;

 private:
  std::filesystem::path root_;
};

}  // namespace tenon::snapshot_overlay
