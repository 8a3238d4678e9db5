#include "unpack/entry_metadata.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string_view>

#include "metadata/validation.hpp"
#include "unpack/entry_errors.hpp"

namespace tenon::unpack {

namespace {

// (uid_t)-1 means "leave unchanged" to chown(2): the largest id a file can have is one below.
constexpr la_int64_t kMaxId = 0xfffffffe;

enum class XattrUse { apply, leaveOut, refuse };

XattrUse xattrUse(std::string_view name) {
  if (name.starts_with("trusted.overlay.") || name.starts_with("user.overlay.")) return XattrUse::refuse;
  if (name.starts_with("user.") || name == "security.capability") return XattrUse::apply;
  return XattrUse::leaveOut;
}

std::uint32_t id(la_int64_t value, const char* what, const std::string& entry) {
  if (value < 0 || value > kMaxId)
    refuseEntry(entry, std::string(what) + " " + std::to_string(value) + " is outside 0.." + std::to_string(kMaxId));
  return static_cast<std::uint32_t>(value);
}

std::vector<std::pair<std::string, std::string>> readXattrs(struct archive_entry* header, const std::string& entry) {
  std::vector<std::pair<std::string, std::string>> out;
  archive_entry_xattr_reset(header);
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  while (archive_entry_xattr_next(header, &name, &value, &size) == ARCHIVE_OK) {
    XattrUse use = xattrUse(name);
    if (use == XattrUse::refuse)
      refuseEntry(entry, "its xattr " + metadata::quote(name) + " would forge overlayfs metadata");
    if (use == XattrUse::apply) out.emplace_back(name, std::string(static_cast<const char*>(value), size));
  }
  return out;
}

}  // namespace

EntryMetadata readMetadata(struct archive_entry* header, const std::string& entry) {
  EntryMetadata m;
  m.permissions = archive_entry_perm(header) & 07777;
  m.uid = id(archive_entry_uid(header), "uid", entry);
  m.gid = id(archive_entry_gid(header), "gid", entry);
  struct timespec mtime {archive_entry_mtime(header), archive_entry_mtime_nsec(header)};
  m.times[1] = mtime;
  m.times[0] = archive_entry_atime_is_set(header) != 0
                   ? timespec{archive_entry_atime(header), archive_entry_atime_nsec(header)}
                   : mtime;
  m.xattrs = readXattrs(header, entry);
  return m;
}

void applyOwnership(int fd, const EntryMetadata& m, const std::string& entry) {
  if (::fchown(fd, m.uid, m.gid) != 0) failErrno(errno, entry, "setting its owner");
  for (const auto& [name, value] : m.xattrs)
    // ENOTSUP: a file system without that namespace; containerd leaves those out too.
    if (::fsetxattr(fd, name.c_str(), value.data(), value.size(), 0) != 0 && errno != ENOTSUP)
      failErrno(errno, entry, "setting its xattr " + metadata::quote(name));
  if (::fchmod(fd, m.permissions) != 0) failErrno(errno, entry, "setting its mode");
}

void applyTimes(int fd, const EntryMetadata& m, const std::string& entry) {
  if (::futimens(fd, m.times.data()) != 0) failErrno(errno, entry, "setting its times");
}

void applyAt(int dirFd, const std::string& name, const EntryMetadata& m, bool isSymlink, const std::string& entry) {
  if (::fchownat(dirFd, name.c_str(), m.uid, m.gid, AT_SYMLINK_NOFOLLOW) != 0)
    failErrno(errno, entry, "setting its owner");
  if (!isSymlink && ::fchmodat(dirFd, name.c_str(), m.permissions, AT_SYMLINK_NOFOLLOW) != 0)
    failErrno(errno, entry, "setting its mode");
  if (::utimensat(dirFd, name.c_str(), m.times.data(), AT_SYMLINK_NOFOLLOW) != 0)
    failErrno(errno, entry, "setting its times");
}

}  // namespace tenon::unpack
