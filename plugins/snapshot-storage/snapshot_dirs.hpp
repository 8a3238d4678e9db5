// The snapshot directories under <root>/snapshots, made and unmade so that a
// crash at any point leaves either a complete directory or a temporary one,
// and never a record pointing at nothing (the record is written after
// create() returns and deleted before remove() runs). Whatever no record
// names is a crash's leftover, and removeStrays() deletes it.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "snapshot_layout.hpp"

namespace tenon::snapshot_storage {

class SnapshotDirs {
 public:
  // Creates <root>/snapshots (0700) unless it exists.
  explicit SnapshotDirs(const SnapshotLayout& layout);

  // Makes <id>/fs (and <id>/work when `withWork`) under a temporary name and
  // renames it into place, durably. fs copies the owner and mode of layer
  // `likeLayer`'s fs: a stacked mount shows its root directory as its top
  // layer's, and a container's / must keep the image's.
  void create(uint64_t id, bool withWork, std::optional<uint64_t> likeLayer) const;
  // Renames <id> out of the way and deletes it. Returns "" or why it failed;
  // the record is gone by then, so what is left is a stray for cleanup.
  std::string remove(uint64_t id) const noexcept;
  // Deletes each entry of <root>/snapshots that is not the directory of a
  // recorded id (temporaries included); returns the names it deleted.
  std::vector<std::string> removeStrays(const std::set<uint64_t>& recorded) const;

 private:
  const SnapshotLayout& layout_;
};

}  // namespace tenon::snapshot_storage
