#include "daemon/directory_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <tenon/error.hpp>

namespace tenon::daemon {

DirectoryLock::DirectoryLock(const std::filesystem::path& dir, const std::string& role) {
  std::filesystem::path file = dir / "tenond.lock";
  fd_.reset(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd_) fail(TENON_FAILED_PRECONDITION, "cannot open " + file.string() + ": " + std::strerror(errno));
  if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) fail(TENON_FAILED_PRECONDITION, "cannot lock " + file.string() + ": " + std::strerror(errno));
    char pid[32] = {};
    ssize_t n = ::pread(fd_.get(), pid, sizeof(pid) - 1, 0);
    std::string holder = n > 0 ? " (pid " + std::string(pid, strnlen(pid, n)) + ")" : "";
    fail(TENON_FAILED_PRECONDITION,
         "another tenond" + holder + " is already running with " + role + " " + dir.string());
  }
  std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd_.get(), 0) != 0 || ::pwrite(fd_.get(), pid.data(), pid.size(), 0) < 0)
    fail(TENON_FAILED_PRECONDITION, "cannot write " + file.string() + ": " + std::strerror(errno));
}

}  // namespace tenon::daemon
