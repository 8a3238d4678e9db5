// The metadata of a layer entry — owner, mode (setuid, setgid and sticky
// included), times and extended attributes — read from its tar header and
// applied to what was created, in containerd's order (pkg/archive/tar.go,
// createTarFile): owner, xattrs, then mode, because chown clears the setuid
// and setgid bits; times last. Nothing here follows a symlink: a regular file
// or directory is changed through its own fd, anything else through its
// parent's fd with AT_SYMLINK_NOFOLLOW (CVE-2021-32760: a chmod through a
// symlink changed a host file's mode).
//
// Extended attributes: user.* and security.capability are applied (file
// capabilities are how images ship ping without setuid); trusted.overlay.*
// and user.overlay.* refuse the layer, since they would forge overlayfs's own
// whiteouts, opaque and redirect markers; any other namespace (trusted.*,
// security.selinux...) is left out as host policy, not image content.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

struct archive_entry;

namespace tenon::unpack {

struct EntryMetadata {
  mode_t permissions = 0;  // the 07777 bits
  uid_t uid = 0;
  gid_t gid = 0;
  std::array<struct timespec, 2> times{};  // access, modification (utimensat's order)
  std::vector<std::pair<std::string, std::string>> xattrs;  // the ones to apply
};

// Reads `header`'s metadata. Throws invalid_argument naming `entry` for an
// owner the kernel cannot store or an xattr that forges overlay metadata.
EntryMetadata readMetadata(struct archive_entry* header, const std::string& entry);

// Owner, xattrs and mode of the regular file or directory open as `fd`.
void applyOwnership(int fd, const EntryMetadata& metadata, const std::string& entry);
// Times of `fd`.
void applyTimes(int fd, const EntryMetadata& metadata, const std::string& entry);
// Owner, mode (not for a symlink, which has none) and times of `name` in the
// directory `dirFd`: for symlinks, devices and FIFOs, which have no fd to write through.
void applyAt(int dirFd, const std::string& name, const EntryMetadata& metadata, bool isSymlink,
             const std::string& entry);

}  // namespace tenon::unpack
