#include "unpack/rooted_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <tenon/unique_fd.hpp>
#include <vector>

#include "metadata/validation.hpp"
#include "unpack/entry_errors.hpp"

namespace tenon::unpack {

namespace {

// Deeper trees are refused rather than removed: each level holds an fd.
constexpr int kMaxRemoveDepth = 512;

// The names in the directory `fd` (which it keeps open).
std::vector<std::string> namesIn(int fd, const std::string& entry) {
  int copy = ::dup(fd);
  if (copy < 0) failErrno(errno, entry, "dup");
  DIR* dir = ::fdopendir(copy);
  if (dir == nullptr) {
    int error = errno;
    ::close(copy);
    failErrno(error, entry, "reading a directory to replace it");
  }
  std::vector<std::string> names;
  while (struct dirent* d = ::readdir(dir)) {
    std::string name = d->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  ::closedir(dir);
  return names;
}

void removeAt(int dirFd, const std::string& name, const std::string& entry, int depth) {
  struct stat st {};
  if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return;
    failErrno(errno, entry, "stat of " + metadata::quote(name));
  }
  if (S_ISDIR(st.st_mode)) {
    if (depth >= kMaxRemoveDepth)
      refuseEntry(entry, "it replaces a directory over " + std::to_string(kMaxRemoveDepth) + " levels deep");
    UniqueFd child(::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!child) failErrno(errno, entry, "opening " + metadata::quote(name) + " to remove it");
    for (const std::string& inner : namesIn(child.get(), entry)) removeAt(child.get(), inner, entry, depth + 1);
  }
  if (::unlinkat(dirFd, name.c_str(), S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) != 0 && errno != ENOENT)
    failErrno(errno, entry, "removing " + metadata::quote(name));
}

}  // namespace

int openBelow(int dirFd, const std::string& path, int flags) {
  struct open_how how {};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS;
  const char* name = path.empty() ? "." : path.c_str();
  long fd = -1;
  // EAGAIN: a rename raced the walk (RESOLVE_IN_ROOT refuses to guess); nobody
  // else writes into a snapshot being unpacked, so a few tries settle it.
  for (int attempt = 0; attempt < 8; ++attempt) {
    fd = ::syscall(SYS_openat2, dirFd, name, &how, sizeof how);
    if (fd >= 0 || errno != EAGAIN) break;
  }
  return static_cast<int>(fd);
}

bool reachedThroughSymlink(int dirFd, const std::string& path) {
  UniqueFd fd(openBelow(dirFd, path, O_PATH | O_NOFOLLOW));
  if (!fd) return errno == ELOOP;
  struct stat st {};
  return ::fstat(fd.get(), &st) == 0 && S_ISLNK(st.st_mode);
}

void removeTree(int dirFd, const std::string& name, const std::string& entry) { removeAt(dirFd, name, entry, 0); }

}  // namespace tenon::unpack
