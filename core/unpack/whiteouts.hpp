// The OCI whiteout markers in a layer's names (image-spec layer.md,
// "Whiteouts"): `.wh.NAME` deletes NAME of the layers below, and
// `.wh..wh..opq` hides everything below in its directory. Other names that
// begin with `.wh..wh.` are aufs's own bookkeeping (.wh..wh.plnk,
// .wh..wh.orph) and are left out of a layer, as docker does.
#pragma once

#include <string>

namespace tenon::unpack {

struct WhiteoutName {
  enum Kind { none, deletion, opaque, aufsMeta } kind = none;
  std::string target;  // for a deletion: the NAME it deletes
};

inline constexpr const char* kWhiteoutPrefix = ".wh.";
inline constexpr const char* kOpaqueMarker = ".wh..wh..opq";
inline constexpr const char* kOverlayOpaqueXattr = "trusted.overlay.opaque";

// What the last segment `base` of entry `entry` marks. Throws invalid_argument
// naming the entry for a marker that names nothing a deletion could mean
// (".wh.", ".wh..", ".wh...": they would delete the directory itself or its parent).
WhiteoutName classifyWhiteout(const std::string& base, const std::string& entry);

}  // namespace tenon::unpack
