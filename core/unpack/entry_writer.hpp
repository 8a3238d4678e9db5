// Creating one layer entry of each kind in its parent directory's fd, where
// the caller has made room (LayerApplier removes what was there). Each call
// creates with *at() on that fd and never follows a symlink: files with
// O_CREAT|O_EXCL|O_NOFOLLOW, directories opened with O_NOFOLLOW, links and
// nodes without AT_SYMLINK_FOLLOW.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "unpack/entry_metadata.hpp"
#include "unpack/tar_reader.hpp"

namespace tenon::unpack {

// One entry's place: the parent's fd, its name there, and its path in the layer (for errors).
struct EntrySlot {
  int dirFd;
  const std::string& name;
  const std::string& path;
};

// A regular file of `size` bytes, its data from the tar's current entry.
void writeRegularFile(TarReader& tar, const EntrySlot& slot, std::int64_t size, const EntryMetadata& metadata);
// A directory, or the existing one (`exists`) merged with the entry: its
// owner, xattrs and mode; the caller sets its times once the layer is done.
void writeDirectory(const EntrySlot& slot, bool exists, const EntryMetadata& metadata);
void writeSymlink(const EntrySlot& slot, const std::string& target, const EntryMetadata& metadata);
// A character or block device or a FIFO (`type` is S_IFCHR, S_IFBLK or S_IFIFO).
void writeNode(const EntrySlot& slot, mode_t type, dev_t device, const EntryMetadata& metadata);
// A hard link to `targetName` in the directory `targetDirFd`; `targetPath` names it in errors.
// The link shares the target's inode and so its metadata (a tar's hard link
// header repeats the first entry's).
void writeHardLink(const EntrySlot& slot, int targetDirFd, const std::string& targetName,
                   const std::string& targetPath);

}  // namespace tenon::unpack
