// How the aufs snapshotter stacks layers (the paths and the bind mounts of
// unstacked snapshots are snapshot-storage's SnapshotLayout):
//  - active on parents: aufs with its own fs as the "rw" branch on top of its
//    parents' fs as "ro+wh" branches, nearest first;
//  - view of more than one layer: aufs with every branch "ro+wh"; with no
//    writable branch, aufs refuses writes with EROFS.
// See aufs_branches.hpp for the options and for chains longer than a page.
// An active snapshot has no work directory: aufs keeps its own bookkeeping
// (.wh..wh.aufs, .wh..wh.plnk, .wh..wh.orph) inside the rw branch, which is
// why usage() leaves those out.
//
// aufs stacks at most CONFIG_AUFS_BRANCH_MAX_* branches (127 by default,
// counting the rw one); the snapshotter does not guess the kernel's build,
// so a deeper chain fails when it is mounted, with the kernel's error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <tenon/mount.hpp>
#include <vector>

#include "snapshot-storage/snapshot_layout.hpp"

namespace tenon::snapshot_aufs {

class AufsLayout : public snapshot_storage::SnapshotLayout {
 public:
  explicit AufsLayout(std::filesystem::path root);

  bool hasWorkDir() const override { return false; }
  std::vector<std::string> bookkeeping() const override;

 protected:
  std::vector<Mount> stack(std::optional<uint64_t> upper, const std::vector<uint64_t>& parentIds) const override;
};

}  // namespace tenon::snapshot_aufs
