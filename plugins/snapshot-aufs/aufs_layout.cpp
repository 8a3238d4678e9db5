#include "aufs_layout.hpp"

#include "aufs_branches.hpp"

namespace tenon::snapshot_aufs {

// aufs splits its options at ',', its branches at ':' and a branch from its
// permission at '=': a root holding one would be cut in the wrong place.
AufsLayout::AufsLayout(std::filesystem::path root) : SnapshotLayout(std::move(root), "aufs", ",:=") {}

std::vector<std::string> AufsLayout::bookkeeping() const { return {".wh..wh.aufs", ".wh..wh.plnk", ".wh..wh.orph"}; }

std::vector<Mount> AufsLayout::stack(std::optional<uint64_t> upper, const std::vector<uint64_t>& parentIds) const {
  std::vector<AufsBranch> branches;
  if (upper) branches.push_back({fs(*upper), true});
  for (uint64_t parent : parentIds) branches.push_back({fs(parent), false});
  return aufsMounts(branches);
}

}  // namespace tenon::snapshot_aufs
