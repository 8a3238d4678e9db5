// Who a container's process runs as: `--user` (or the image's User) resolved
// against the image's own /etc/passwd and /etc/group, as containerd's
// WithUser + WithAdditionalGIDs do. The files are read inside the rootfs only
// (see rootfs_file.hpp), so a hostile image cannot make us read the host's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tenon::oci {

struct User {
  uint32_t uid = 0;
  uint32_t gid = 0;
  // The primary gid first, then every group of the image's /etc/group that
  // lists the user by name. The primary gid is repeated here because the
  // runtime calls setgroups() with this list alone (CVE-2023-25173).
  std::vector<uint32_t> additionalGids;

  bool operator==(const User&) const = default;
};

// Resolves `user`: "" (root), "uid", "uid:gid", "name", "name:group",
// "uid:group" or "name:gid", against the rootfs open at `rootfsFd` (an
// O_PATH or O_DIRECTORY fd; see openRootfs). A numeric uid needs no
// /etc/passwd entry (its gid is then 0 unless given); a name must have one.
// Throws Error(INVALID_ARGUMENT) for a malformed user or an id outside
// 0..4294967294, Error(NOT_FOUND) naming a user or group the image does not
// have, and readFileInRoot's errors for a hostile /etc/passwd or /etc/group.
User resolveUser(int rootfsFd, std::string_view user);

// The same, opening `rootfsDir` (the caller mounts the image's snapshot,
// read-only, and passes its path). Throws Error(NOT_FOUND) if it is missing.
User resolveUser(const std::string& rootfsDir, std::string_view user);

}  // namespace tenon::oci
