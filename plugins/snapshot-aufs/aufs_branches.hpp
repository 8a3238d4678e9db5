// The Mount list of an aufs stack, and the one page of options mount(2) takes.
//
// An aufs mount names its branches top first in one option,
// "br:<dir>=rw:<dir>=ro+wh:...", followed by "dio" (direct I/O through to the
// branches) and "xino=/dev/shm/aufs.xino" (aufs's external inode table, kept
// on tmpfs rather than on a branch): the options Docker's aufs driver and
// containerd's aufs snapshotter mount with. "ro+wh" is a read-only branch
// whose whiteouts (.wh.<name>, .wh..wh..opq) hide what lies below it.
//
// mount(2) copies one page of options and cuts the rest off without an error,
// so a deep chain in one "br:" would silently lose its bottom layers. aufs
// users (Docker's aufs driver) mount as many branches as fit in "br:" and add
// the rest one by one at the bottom, remounting with "append:<dir>=ro+wh".
// That is written into the Mount list itself, so that a consumer mounting the
// list in order, at one target, mounts the whole stack:
//   {aufs, none, "", ["br:<upper>=rw:<p1>=ro+wh:...:<pk>=ro+wh", "dio", "xino=/dev/shm/aufs.xino"]}
//   {aufs, none, "", ["remount", "append:<pk+1>=ro+wh"]}
//   ...
// "remount" is the mount(8) option for MS_REMOUNT, which mount(8) (so
// `ctr snapshots mounts TARGET KEY | sh`) and containerd's mount.All honour.
// A chain that fits a page is one Mount, as containerd's aufs snapshotter gives.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <tenon/mount.hpp>
#include <tenon/mount_options.hpp>
#include <vector>

namespace tenon::snapshot_aufs {

inline constexpr std::string_view kDirectIo = "dio";
inline constexpr std::string_view kXino = "xino=/dev/shm/aufs.xino";

struct AufsBranch {
  std::filesystem::path dir;
  bool writable = false;  // "rw", else "ro+wh"
};

// "<dir>=rw" or "<dir>=ro+wh".
std::string branchOption(const AufsBranch& branch);

// The mounts of `branches` (top first, at least one), each entry's option
// data (mountData) at most `dataLimit` bytes. Throws resource_exhausted when
// an entry cannot fit, which takes a root a page long.
std::vector<Mount> aufsMounts(const std::vector<AufsBranch>& branches, size_t dataLimit = mountDataLimit());

}  // namespace tenon::snapshot_aufs
