// How the overlay snapshotter stacks layers (the paths and the bind mounts of
// unstacked snapshots are snapshot-storage's SnapshotLayout):
//  - active on parents: overlay, index=off, workdir, upperdir, lowerdir;
//  - view of more than one layer: overlay with only lowerdir, which the
//    kernel mounts read-only.
// lowerdir lists the parents nearest first, each <root>/snapshots/<id>/fs
// (see tenon/mount_options.hpp for the one-page limit on them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <tenon/mount.hpp>
#include <vector>

#include "snapshot-storage/snapshot_layout.hpp"

namespace tenon::snapshot_overlay {

// overlayfs's OVL_MAX_STACK (fs/overlayfs/params.h): lower layers per mount.
inline constexpr size_t kMaxLowerLayers = 500;

class OverlayLayout : public snapshot_storage::SnapshotLayout {
 public:
  explicit OverlayLayout(std::filesystem::path root);

  bool hasWorkDir() const override { return true; }

 protected:
  // Throws resource_exhausted when the chain cannot be mounted: more lower
  // layers than overlay stacks, or options longer than a page even compacted.
  std::vector<Mount> stack(std::optional<uint64_t> upper, const std::vector<uint64_t>& parentIds) const override;
};

}  // namespace tenon::snapshot_overlay
