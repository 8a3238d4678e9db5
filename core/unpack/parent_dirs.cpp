#include "unpack/parent_dirs.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "metadata/validation.hpp"
#include "unpack/entry_errors.hpp"
#include "unpack/rooted_fs.hpp"

namespace tenon::unpack {

namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
constexpr const char* kNeverThrough = "; a layer never writes through one";

// Why `dir` (below `fromFd`; `shown` from the root) cannot be opened as a directory.
[[noreturn]] void failParent(int error, int fromFd, const std::string& dir, const std::string& shown,
                             const std::string& entry) {
  if ((error == ELOOP || error == ENOTDIR) && reachedThroughSymlink(fromFd, dir))
    refuseEntry(entry, "its parent " + metadata::quote(shown) + " passes through a symlink" + kNeverThrough);
  if (error == ENOTDIR) refuseEntry(entry, "its parent " + metadata::quote(shown) + " is not a directory");
  failErrno(error, entry, "opening its parent " + metadata::quote(shown));
}

}  // namespace

int ParentDirs::open(const std::string& dir, const std::string& entry) {
  if (dir.empty()) return rootFd_;
  if (kept_ && dir == keptPath_) return kept_.get();
  UniqueFd fd(openBelow(rootFd_, dir, kDirFlags));
  if (!fd && errno == ENOENT) return keep(dir, create(dir, entry));
  if (!fd) failParent(errno, rootFd_, dir, dir, entry);
  return keep(dir, std::move(fd));
}

void ParentDirs::forgetBelow(const std::string& removed) {
  if (keptPath_ == removed || keptPath_.starts_with(removed + "/")) {
    kept_.reset();
    keptPath_.clear();
  }
}

int ParentDirs::keep(const std::string& dir, UniqueFd fd) {
  keptPath_ = dir;
  kept_ = std::move(fd);
  return kept_.get();
}

// Walks `dir` one name at a time from the root, making what is missing.
UniqueFd ParentDirs::create(const std::string& dir, const std::string& entry) {
  UniqueFd current(openBelow(rootFd_, "", kDirFlags));
  if (!current) failErrno(errno, entry, "opening the layer's root");
  for (std::size_t start = 0; start < dir.size();) {
    std::size_t end = std::min(dir.find('/', start), dir.size());
    std::string name = dir.substr(start, end - start);
    std::string path = dir.substr(0, end);
    UniqueFd next(openBelow(current.get(), name, kDirFlags));
    if (!next && errno == ENOENT) next = makeDirectory(current.get(), name, path, entry);
    if (!next) failParent(errno, current.get(), name, path, entry);
    current = std::move(next);
    start = end + 1;
  }
  return current;
}

UniqueFd ParentDirs::makeDirectory(int parentFd, const std::string& name, const std::string& path,
                                   const std::string& entry) {
  std::optional<struct stat> below = lowers_.find(path);
  // A symlink below (bin -> usr/bin): writing a real directory over it would
  // hide the link in the merged view; the layer was made for another parent.
  if (below && S_ISLNK(below->st_mode))
    refuseEntry(entry, "its parent " + metadata::quote(path) + " is a symlink in a layer below" + kNeverThrough);
  if (::mkdirat(parentFd, name.c_str(), 0755) != 0)
    failErrno(errno, entry, "creating its parent " + metadata::quote(path));
  UniqueFd made(openBelow(parentFd, name, kDirFlags));
  if (!made) failErrno(errno, entry, "opening its new parent " + metadata::quote(path));
  // Without a directory below, 0755 root:root, as containerd's mkparent (and whatever the umask).
  bool copy = below && S_ISDIR(below->st_mode);
  mode_t mode = copy ? below->st_mode & 07777 : 0755;
  bool ok = (!copy || ::fchown(made.get(), below->st_uid, below->st_gid) == 0) && ::fchmod(made.get(), mode) == 0;
  if (ok && copy) {
    struct timespec times[2] = {below->st_atim, below->st_mtim};
    ok = ::futimens(made.get(), times) == 0;
  }
  if (!ok) failErrno(errno, entry, "setting the attributes of its new parent " + metadata::quote(path));
  return made;
}

}  // namespace tenon::unpack
