// Reading a small file of an image's root filesystem (its /etc/passwd, its
// /etc/group) without ever leaving it: a layer may make /etc/passwd a symlink to
// the host's file, "../../../etc/shadow", /dev/zero or a FIFO. Every path is
// resolved by the kernel from the rootfs's fd, as if it were "/" (openat2
// RESOLVE_IN_ROOT), never by re-resolving strings.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <tenon/unique_fd.hpp>

namespace tenon::oci {

// Bound on an account file: a real one holds a few KiB; a 200 MB /etc/group
// must not cost 200 MB of memory.
inline constexpr std::size_t kMaxRootfsFileBytes = 1 << 20;

// Opens `dir` as the root for readFileInRoot. Throws Error(NOT_FOUND) when it
// does not exist, Error(INVALID_ARGUMENT) when it is not a directory.
UniqueFd openRootfs(const std::string& dir);

// The content of `path` inside the rootfs open at `rootfsFd`; symlinks (".."
// and absolute ones included) resolve within it, magic links (/proc/self/...)
// are refused. std::nullopt when the file or a parent is missing. Throws
// Error(INVALID_ARGUMENT) for something else than a regular file (a FIFO, a
// device, a directory) or a symlink loop, Error(RESOURCE_EXHAUSTED) past `maxBytes`, and
// Error(INTERNAL) naming the path for other failures. Never blocks on a FIFO.
std::optional<std::string> readFileInRoot(int rootfsFd, const std::string& path,
                                          std::size_t maxBytes = kMaxRootfsFileBytes);

}  // namespace tenon::oci
