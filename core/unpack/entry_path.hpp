// The names of a layer's tar entries, made relative to the layer's root.
//
// containerd (pkg/archive/tar.go, applyNaive) cleans each name with
// filepath.Clean and joins it to the root, so "/etc/passwd", "./etc/passwd"
// and "etc//passwd" all mean <root>/etc/passwd; hard link targets are joined
// the same way (hardlinkRootPath). tenon does the same for absolute names,
// but where containerd silently clamps a ".." that climbs above the root,
// tenon refuses the entry: no tool writes such a name into a layer, so one
// that does is hostile (the docker 2014 and containerd breakout reports).
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace tenon::unpack {

// `name` relative to the root, without "." or empty segments, ".." resolved
// lexically; "" for the root itself. Throws invalid_argument naming the entry
// when ".." would climb above the root. `entry` is the entry `name` belongs
// to when `name` is not the entry's own (a hard link's target).
std::string cleanLayerPath(std::string_view name, std::string_view entry = {});

// "a/b/c" → {"a/b", "c"}; "c" → {"", "c"}.
std::pair<std::string, std::string> splitParent(const std::string& path);

}  // namespace tenon::unpack
