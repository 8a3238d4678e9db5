#include "fs/directories.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <tenon/error.hpp>

namespace tenon::fs {

namespace {
[[noreturn]] void failErrno(const std::string& what, const std::filesystem::path& path, int err) {
  fail(err == EACCES || err == EPERM ? TENON_PERMISSION_DENIED : TENON_FAILED_PRECONDITION,
       what + " " + path.string() + ": " + std::strerror(err));
}
}  // namespace

void ensureDirectory(const std::filesystem::path& path, mode_t mode) {
  if (path.has_parent_path() && path.parent_path() != path) {
    struct stat st{};
    if (::stat(path.parent_path().c_str(), &st) != 0) ensureDirectory(path.parent_path(), 0755);
  }
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) failErrno("cannot create directory", path, errno);
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) failErrno("cannot stat", path, errno);
  if (S_ISLNK(st.st_mode)) fail(TENON_FAILED_PRECONDITION, path.string() + " is a symlink, not a directory");
  if (!S_ISDIR(st.st_mode)) fail(TENON_FAILED_PRECONDITION, path.string() + " exists and is not a directory");
  if ((st.st_mode & 07777) != mode && ::chmod(path.c_str(), mode) != 0) failErrno("cannot chmod", path, errno);
}

}  // namespace tenon::fs
