// How much disk a snapshot's own layer uses.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tenon::snapshot_storage {

struct DiskUsage {
  int64_t bytes = 0;
  int64_t inodes = 0;
};

// Everything below `dir` (not `dir` itself, so an empty layer uses nothing):
// bytes are allocated blocks (st_blocks * 512, what du(1) and containerd
// count, so a sparse file counts what it holds and a whiteout nothing), and
// an inode with several hard links counts once. Stays on `dir`'s filesystem.
// The entries of `dir` named in `skipped` are left out, with all they hold.
DiskUsage diskUsage(const std::filesystem::path& dir, const std::vector<std::string>& skipped = {});

}  // namespace tenon::snapshot_storage
