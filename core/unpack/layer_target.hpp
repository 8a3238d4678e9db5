// Where a layer's entries are written, read from the Mount list of the
// active snapshot prepared for it, so that nothing is mounted to unpack
// (containerd's diff/apply fast paths for overlay and aufs do the same):
//  - bind    → its source (a snapshot with no parent);
//  - overlay → its upperdir=, its lowerdir= layers below it;
//  - aufs    → the first branch of br: (the rw one), the rest below it.
#pragma once

#include <string>
#include <tenon/mount.hpp>
#include <vector>

namespace tenon::unpack {

// How the target's filesystem marks a deletion and an opaque directory.
enum class WhiteoutStyle {
  overlay,  // NAME as a 0/0 character device; trusted.overlay.opaque=y on the directory
  aufs,     // aufs reads the OCI markers natively: .wh.NAME and .wh..wh..opq stay files
  none,     // a snapshot with no parent: there is nothing below to hide
};

struct LayerTarget {
  std::string root;                 // where the entries go
  WhiteoutStyle whiteouts = WhiteoutStyle::none;
  std::vector<std::string> lowers;  // the layers below, nearest first
};

// The target for the mounts of an active snapshot; `hasParent` says whether
// it was prepared on a parent. Throws not_implemented for mounts unpack cannot
// write into without mounting (a bind over a parent: a copying snapshotter),
// failed_precondition for a read-only one (an overlay without upperdir).
LayerTarget layerTarget(const std::vector<Mount>& mounts, bool hasParent);

}  // namespace tenon::unpack
