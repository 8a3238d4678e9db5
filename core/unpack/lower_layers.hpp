// The layers below the one being unpacked, read-only, to look up what a path
// is in the snapshot's parent: a directory a layer writes into without naming
// it (tar writers may leave parents out) is created in the upper layer with
// the lower directory's mode, owner and times, as containerd does
// (archive.WithParents), so that it does not silently turn 0755 root:root.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <tenon/unique_fd.hpp>
#include <vector>

#include "unpack/layer_target.hpp"

namespace tenon::unpack {

class LowerLayers {
 public:
  // Opens each of `dirs` (nearest first). Throws internal when one cannot be opened.
  LowerLayers(const std::vector<std::string>& dirs, WhiteoutStyle style);

  // What `path` is in the nearest layer that has it, or nullopt when none has
  // it or the nearest one that does marks it deleted (a whiteout); a symlink
  // is reported as one, not followed. Only the path itself is checked for a
  // whiteout, not its parents: good enough for copying a directory's
  // attributes, which is all this serves.
  std::optional<struct stat> find(const std::string& path) const;

 private:
  bool hasAufsWhiteout(int layerFd, const std::string& path) const;

  std::vector<UniqueFd> layers_;
  WhiteoutStyle style_;
};

}  // namespace tenon::unpack
