#include "oci/rootfs_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <tenon/error.hpp>

namespace tenon::oci {

namespace {

// glibc 2.36 has no openat2() wrapper.
int openat2(int dirfd, const char* path, const open_how& how) {
  return static_cast<int>(::syscall(SYS_openat2, dirfd, path, &how, sizeof how));
}

// Opens `path` under the root. O_NONBLOCK so that a FIFO planted as
// /etc/passwd cannot hang us in open(); it is refused right after, by type.
UniqueFd openInRoot(int rootfsFd, const std::string& path) {
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0;; ++attempt) {
    int fd = openat2(rootfsFd, path.c_str(), how);
    if (fd >= 0) return UniqueFd(fd);
    // EAGAIN: a concurrent rename inside the root made the kernel give up on a
    // safe lookup; trying again is what the man page asks for.
    if (errno == EINTR || (errno == EAGAIN && attempt < 8)) continue;
    if (errno == ENOENT || errno == ENOTDIR) return UniqueFd();
    // ELOOP: a symlink loop, or a magic link (/proc/self/root/...) refused by RESOLVE_NO_MAGICLINKS.
    if (errno == ELOOP)
      fail(TENON_INVALID_ARGUMENT, fmt::format("{} in the root filesystem: symlink loop or magic link", path));
    if (errno == ENOSYS) fail(TENON_NOT_IMPLEMENTED, "openat2 is not supported by this kernel (Linux 5.6 or later is needed)");
    fail(TENON_INTERNAL, fmt::format("cannot open {} in the root filesystem: {}", path, std::strerror(errno)));
  }
}

[[noreturn]] void tooLarge(const std::string& path, std::size_t maxBytes) {
  fail(TENON_RESOURCE_EXHAUSTED, fmt::format("{} in the root filesystem is larger than {} bytes", path, maxBytes));
}

std::string readBounded(int fd, const std::string& path, std::size_t maxBytes) {
  std::string text;
  char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(TENON_INTERNAL, fmt::format("cannot read {} in the root filesystem: {}", path, std::strerror(errno)));
    if (n == 0) return text;
    // Checked while reading, not from st_size alone: a file can grow meanwhile.
    if (text.size() + static_cast<std::size_t>(n) > maxBytes) tooLarge(path, maxBytes);
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

UniqueFd openRootfs(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) return UniqueFd(fd);
  if (errno == ENOENT) fail(TENON_NOT_FOUND, fmt::format("root filesystem {} does not exist", dir));
  if (errno == ENOTDIR) fail(TENON_INVALID_ARGUMENT, fmt::format("root filesystem {} is not a directory", dir));
  fail(TENON_INTERNAL, fmt::format("cannot open root filesystem {}: {}", dir, std::strerror(errno)));
}

std::optional<std::string> readFileInRoot(int rootfsFd, const std::string& path, std::size_t maxBytes) {
  UniqueFd file = openInRoot(rootfsFd, path);
  if (!file) return std::nullopt;
  struct stat st {};
  if (::fstat(file.get(), &st) != 0)
    fail(TENON_INTERNAL, fmt::format("cannot stat {} in the root filesystem: {}", path, std::strerror(errno)));
  if (!S_ISREG(st.st_mode))
    fail(TENON_INVALID_ARGUMENT, fmt::format("{} in the root filesystem is not a regular file", path));
  if (static_cast<std::size_t>(st.st_size) > maxBytes) tooLarge(path, maxBytes);
  return readBounded(file.get(), path, maxBytes);
}

}  // namespace tenon::oci
