// File system calls below a directory a hostile layer is written into: every
// path is resolved from a directory fd, never as a string from "/".
//
// openBelow() uses openat2(2) with
//  - RESOLVE_IN_ROOT: ".." and absolute symlinks resolve as if the fd were
//    "/", so no resolution can leave the root, even if the tree changed since
//    the path was checked (the TOCTOU class of CVE-2018-15664);
//  - RESOLVE_NO_MAGICLINKS: no jump through /proc/self/fd-style links;
//  - RESOLVE_NO_SYMLINKS: a layer never writes through a symbolic link. Tar
//    writers record real paths, so a symlink on the way to an entry (`a ->
//    /etc`, then `a/passwd`; a directory replaced by a symlink) is an attack
//    and the entry is refused rather than redirected.
// Everything else acts on one name in a directory fd (*at calls with
// AT_SYMLINK_NOFOLLOW or O_NOFOLLOW).
#pragma once

#include <string>

namespace tenon::unpack {

// Opens `path` (relative, already cleaned; "" for `dirFd` itself) below
// `dirFd` with `flags` (O_CLOEXEC is added); -1 with errno set on failure.
int openBelow(int dirFd, const std::string& path, int flags);

// Whether reaching `path` below `dirFd` meets a symlink: `path` itself or
// one of its parents (what openBelow refuses with ELOOP, or with ENOTDIR when
// O_DIRECTORY meets a symlink last).
bool reachedThroughSymlink(int dirFd, const std::string& path);

// Removes `name` from the directory `dirFd`: a directory with all it holds,
// depth first, never following a symlink. Throws naming `entry`.
void removeTree(int dirFd, const std::string& name, const std::string& entry);

}  // namespace tenon::unpack
