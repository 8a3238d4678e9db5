#include "unpack/entry_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <tenon/unique_fd.hpp>

#include "metadata/validation.hpp"
#include "unpack/entry_errors.hpp"

namespace tenon::unpack {

void writeRegularFile(TarReader& tar, const EntrySlot& slot, std::int64_t size, const EntryMetadata& metadata) {
  // 0600 until written: nobody reads a half-written setuid binary.
  UniqueFd fd(::openat(slot.dirFd, slot.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) failErrno(errno, slot.path, "creating it");
  tar.copyData(fd.get(), size, slot.path);
  applyOwnership(fd.get(), metadata, slot.path);
  applyTimes(fd.get(), metadata, slot.path);
}

void writeDirectory(const EntrySlot& slot, bool exists, const EntryMetadata& metadata) {
  if (!exists && ::mkdirat(slot.dirFd, slot.name.c_str(), 0700) != 0) failErrno(errno, slot.path, "creating it");
  UniqueFd fd(::openat(slot.dirFd, slot.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) failErrno(errno, slot.path, "opening it");
  applyOwnership(fd.get(), metadata, slot.path);
}

void writeSymlink(const EntrySlot& slot, const std::string& target, const EntryMetadata& metadata) {
  // The target is only text: whatever it names is resolved inside the
  // container's root when used, and never followed while unpacking.
  if (::symlinkat(target.c_str(), slot.dirFd, slot.name.c_str()) != 0)
    failErrno(errno, slot.path, "creating it as a symlink to " + metadata::quote(target));
  applyAt(slot.dirFd, slot.name, metadata, true, slot.path);
}

void writeNode(const EntrySlot& slot, mode_t type, dev_t device, const EntryMetadata& metadata) {
  if (::mknodat(slot.dirFd, slot.name.c_str(), type | 0600, device) != 0) failErrno(errno, slot.path, "creating it");
  applyAt(slot.dirFd, slot.name, metadata, false, slot.path);
}

void writeHardLink(const EntrySlot& slot, int targetDirFd, const std::string& targetName,
                   const std::string& targetPath) {
  // No AT_SYMLINK_FOLLOW: a link to a symlink links the symlink itself, as
  // containerd's hardlinkRootPath does, never what it points to.
  if (::linkat(targetDirFd, targetName.c_str(), slot.dirFd, slot.name.c_str(), 0) == 0) return;
  int error = errno;
  std::string target = "its hard link target " + metadata::quote(targetPath);
  if (error == ENOENT) refuseEntry(slot.path, target + " is not in the layer");
  if (error == EPERM) refuseEntry(slot.path, target + " is a directory");
  failErrno(error, slot.path, "linking it to " + metadata::quote(targetPath));
}

}  // namespace tenon::unpack
