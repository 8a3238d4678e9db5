// Applies one layer's tar to the directory of an active snapshot
// (LayerTarget), straight into it, without mounting anything: regular files
// (sparse ones stay sparse), directories, symlinks, hard links to entries
// already in the layer, devices, FIFOs, owners, modes, times, xattrs, and
// the OCI whiteouts in the target's own style. Directories' times are set
// last, once nothing more is written into them.
//
// A hostile layer cannot create, change or follow anything outside the root:
// names are cleaned and refused when they climb out (entry_path.hpp), every
// directory is reached from the root's fd with openat2 and never through a
// symlink (rooted_fs.hpp), hard link targets likewise, and metadata is set
// through fds or with AT_SYMLINK_NOFOLLOW. A refused entry fails the whole
// layer with an error naming it; the caller discards the snapshot.
#pragma once

#include <cstdint>

#include "unpack/byte_source.hpp"
#include "unpack/layer_target.hpp"

namespace tenon::unpack {

struct AppliedLayer {
  std::uint64_t entries = 0;  // entries read, whiteouts included
};

// Reads the uncompressed tar from `tar` up to its end-of-archive marker and
// applies it to `target`. Throws invalid_argument naming a refused or
// malformed entry, resource_exhausted when the disk is full, and what `tar` throws.
AppliedLayer applyLayer(const LayerTarget& target, const ByteSource& tar);

}  // namespace tenon::unpack
