// Overlay mount options and the one-page limit on them. mount(2) copies at
// most one page of option data and cuts the rest off without an error, so a
// long `lowerdir=` would silently lose layers. Two rules follow, both
// containerd's (mount/mount_linux.go, compactLowerdirOption):
//  - the snapshotter hands out absolute paths (a Mount is a value anyone can
//    pass to mount(8)), and refuses a chain whose options cannot fit even
//    when compacted;
//  - a consumer whose overlay data exceeds the page compacts it: the lower
//    directories' common parent becomes the mounting thread's working
//    directory and each lowerdir is written relative to it.
// Pure functions, sdk-only: the in-tree consumers may share them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tenon::snapshot_overlay {

// overlayfs's OVL_MAX_STACK (fs/overlayfs/params.h): lower layers per mount.
inline constexpr size_t kMaxLowerLayers = 500;

// The longest option string mount(2) takes whole: one page minus its NUL.
size_t mountDataLimit();

// The option data mount(2) receives for an overlay: the options joined by ','.
std::string mountData(const std::vector<std::string>& options);

// Overlay options rewritten with `lowerdir=` entries relative to `chdir`, or
// unchanged (chdir "") when the lowerdirs have no common parent but "/" or
// there is at most one of them.
struct CompactOptions {
  std::string chdir;
  std::vector<std::string> options;
};
CompactOptions compactLowerdir(const std::vector<std::string>& options);

// The length mount(2) will see for `options`: as they are when that fits,
// compacted otherwise.
size_t mountableDataLength(const std::vector<std::string>& options);

}  // namespace tenon::snapshot_overlay
