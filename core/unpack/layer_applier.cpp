#include "unpack/layer_applier.hpp"

#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <tenon/error.hpp>
#include <tenon/unique_fd.hpp>
#include <vector>

#include "metadata/validation.hpp"
#include "unpack/entry_errors.hpp"
#include "unpack/entry_path.hpp"
#include "unpack/entry_writer.hpp"
#include "unpack/lower_layers.hpp"
#include "unpack/parent_dirs.hpp"
#include "unpack/rooted_fs.hpp"
#include "unpack/whiteouts.hpp"

namespace tenon::unpack {

namespace {

class LayerApplier {
 public:
  explicit LayerApplier(const LayerTarget& target)
      : style_(target.whiteouts),
        root_(::open(target.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)),
        lowers_(target.lowers, target.whiteouts),
        parents_(root_.get(), lowers_) {
    if (!root_)
      fail(TENON_INTERNAL, "cannot open the snapshot's directory " + target.root + ": " + std::strerror(errno));
  }

  AppliedLayer apply(const ByteSource& source) {
    TarReader tar(source);
    AppliedLayer applied;
    while (struct archive_entry* header = tar.next()) {
      ++applied.entries;
      applyEntry(tar, header);
    }
    setDirectoryTimes();
    return applied;
  }

 private:
  struct DirectoryTimes {
    std::string path;
    std::array<struct timespec, 2> times;
  };

  void applyEntry(TarReader& tar, struct archive_entry* header) {
    const char* raw = archive_entry_pathname(header);
    if (raw == nullptr) refuseEntry("?", "its name cannot be read");
    std::string path = cleanLayerPath(raw);
    if (path.empty()) return;  // the root itself, which containerd leaves alone too
    auto [dir, name] = splitParent(path);
    WhiteoutName marker = classifyWhiteout(name, path);
    if (marker.kind == WhiteoutName::aufsMeta) return;
    if (marker.kind != WhiteoutName::none && style_ != WhiteoutStyle::aufs)
      return applyWhiteout(dir, marker, header, path);

    EntrySlot slot{parents_.open(dir, path), name, path};
    if (const char* target = archive_entry_hardlink(header)) return applyHardLink(slot, target);
    EntryMetadata metadata = readMetadata(header, path);
    mode_t type = archive_entry_filetype(header);
    bool existingDir = makeRoom(slot, type == AE_IFDIR);
    switch (type) {
      case AE_IFREG: return writeRegularFile(tar, slot, archive_entry_size(header), metadata);
      case AE_IFDIR:
        writeDirectory(slot, existingDir, metadata);
        directories_.push_back({path, metadata.times});
        return;
      case AE_IFLNK: {
        const char* target = archive_entry_symlink(header);
        return writeSymlink(slot, target != nullptr ? target : "", metadata);
      }
      case AE_IFCHR:
      case AE_IFBLK:
      case AE_IFIFO:
        return writeNode(slot, type,
                         ::makedev(archive_entry_rdevmajor(header), archive_entry_rdevminor(header)), metadata);
      default: refuseEntry(path, "unsupported file type " + std::to_string(type));
    }
  }

  // Removes what `slot` holds, unless both it and the entry are directories,
  // which merge (containerd's rule); whether a directory stays.
  bool makeRoom(const EntrySlot& slot, bool entryIsDir) {
    struct stat st {};
    if (::fstatat(slot.dirFd, slot.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) return false;
      failErrno(errno, slot.path, "looking at what is there");
    }
    if (S_ISDIR(st.st_mode) && entryIsDir) return true;
    removeTree(slot.dirFd, slot.name, slot.path);
    if (S_ISDIR(st.st_mode)) parents_.forgetBelow(slot.path);
    return false;
  }

  void applyHardLink(const EntrySlot& slot, const char* linkName) {
    std::string target = cleanLayerPath(linkName, slot.path);
    if (target.empty()) refuseEntry(slot.path, "a hard link to the layer's root");
    auto [targetDir, targetName] = splitParent(target);
    // An fd of its own: the link's directory stays open in `parents_`.
    UniqueFd dirFd(openBelow(root_.get(), targetDir, O_PATH | O_DIRECTORY | O_NOFOLLOW));
    if (!dirFd && reachedThroughSymlink(root_.get(), targetDir))
      refuseEntry(slot.path, "its hard link target " + metadata::quote(target) + " passes through a symlink");
    if (!dirFd) refuseEntry(slot.path, "its hard link target " + metadata::quote(target) + " is not in the layer");
    makeRoom(slot, false);
    writeHardLink(slot, dirFd.get(), targetName, target);
  }

  // OCI whiteouts in the target's style (aufs keeps them as files: not here).
  void applyWhiteout(const std::string& dir, const WhiteoutName& marker, struct archive_entry* header,
                     const std::string& path) {
    if (style_ == WhiteoutStyle::none) return;  // no parent: nothing below to hide
    int dirFd = parents_.open(dir, path);
    if (marker.kind == WhiteoutName::opaque) {
      if (::fsetxattr(dirFd, kOverlayOpaqueXattr, "y", 1, 0) != 0)
        failErrno(errno, path, "marking its directory opaque");
      return;
    }
    // image-spec: a whiteout hides the layers below only; a NAME this layer wrote stays.
    struct stat st {};
    if (::fstatat(dirFd, marker.target.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return;
    if (::mknodat(dirFd, marker.target.c_str(), S_IFCHR | 0, ::makedev(0, 0)) != 0)
      failErrno(errno, path, "creating its overlay whiteout");
    EntryMetadata metadata = readMetadata(header, path);
    if (::fchownat(dirFd, marker.target.c_str(), metadata.uid, metadata.gid, AT_SYMLINK_NOFOLLOW) != 0)
      failErrno(errno, path, "setting its whiteout's owner");
  }

  // Directories' times, now that nothing more is written into them. A
  // directory the layer later replaced or removed is passed over.
  void setDirectoryTimes() {
    for (const DirectoryTimes& d : directories_) {
      UniqueFd fd(openBelow(root_.get(), d.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
      if (!fd && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)) continue;
      if (!fd) failErrno(errno, d.path, "opening it to set its times");
      if (::futimens(fd.get(), d.times.data()) != 0) failErrno(errno, d.path, "setting its times");
    }
  }

  WhiteoutStyle style_;
  UniqueFd root_;
  LowerLayers lowers_;
  ParentDirs parents_;
  std::vector<DirectoryTimes> directories_;
};

}  // namespace

AppliedLayer applyLayer(const LayerTarget& target, const ByteSource& tar) { return LayerApplier(target).apply(tar); }

}  // namespace tenon::unpack
