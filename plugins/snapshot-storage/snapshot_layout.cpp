#include "snapshot_layout.hpp"

#include <tenon/error.hpp>

namespace tenon::snapshot_storage {

namespace {

Mount bind(const std::filesystem::path& source, const char* access) {
  return Mount{"bind", source.string(), "", {"rbind", access}};
}

}  // namespace

SnapshotLayout::SnapshotLayout(std::filesystem::path root, std::string_view type, std::string_view separators)
    : root_(std::move(root)) {
  if (root_.string().find_first_of(separators) != std::string::npos)
    fail(TENON_INVALID_ARGUMENT, "the " + std::string(type) + " snapshotter's root " + root_.string() +
                                     " holds one of \"" + std::string(separators) + "\", which " + std::string(type) +
                                     " mount options cannot carry");
}

std::vector<Mount> SnapshotLayout::mounts(Kind kind, uint64_t id, const std::vector<uint64_t>& parentIds) const {
  if (kind == Kind::committed)
    fail(TENON_FAILED_PRECONDITION, "a committed snapshot is not mounted: prepare or view a child of it");
  if (parentIds.empty()) return {bind(fs(id), kind == Kind::active ? "rw" : "ro")};
  if (kind == Kind::view && parentIds.size() == 1) return {bind(fs(parentIds.front()), "ro")};
  return stack(kind == Kind::active ? std::optional(id) : std::nullopt, parentIds);
}

}  // namespace tenon::snapshot_storage
