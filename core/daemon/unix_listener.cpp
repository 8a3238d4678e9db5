#include "daemon/unix_listener.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <tenon/error.hpp>

#include "fs/directories.hpp"

namespace tenon::daemon {

namespace {

sockaddr_un socketAddress(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path))
    fail(TENON_INVALID_ARGUMENT, "socket path \"" + path + "\" must be 1 to " +
                                     std::to_string(sizeof(addr.sun_path) - 1) + " bytes long");
  std::memcpy(addr.sun_path, path.c_str(), path.size());
  return addr;
}

[[noreturn]] void failErrno(const std::string& what, const std::string& path) {
  fail(TENON_FAILED_PRECONDITION, what + " " + path + ": " + std::strerror(errno));
}

// A socket file from a crashed daemon is removed; one that still accepts
// connections belongs to a live server and is left alone.
void removeStaleSocket(const std::string& path, const sockaddr_un& addr) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) return;
  if (!S_ISSOCK(st.st_mode)) fail(TENON_FAILED_PRECONDITION, path + " exists and is not a socket");
  UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (probe && ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0)
    fail(TENON_FAILED_PRECONDITION, "another server is listening on " + path);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) failErrno("cannot remove stale socket", path);
}

}  // namespace

UnixListener::UnixListener(const SocketOptions& options) : path_(options.path) {
  sockaddr_un addr = socketAddress(path_);
  // Create a missing parent (/run/tenon), but never change the mode of one that exists (/run).
  std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  if (!std::filesystem::exists(parent)) fs::ensureDirectory(parent, 0711);
  removeStaleSocket(path_, addr);
  fd_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd_) failErrno("cannot create socket for", path_);
  // bind() creates the file with the umask's mode: make it private until chmod.
  mode_t old = ::umask(0177);
  int bound = ::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  int bindErrno = errno;
  ::umask(old);
  errno = bindErrno;
  if (bound != 0) failErrno("cannot bind", path_);
  struct stat st{};
  if (::lstat(path_.c_str(), &st) == 0) {
    dev_ = st.st_dev;
    ino_ = st.st_ino;
  }
  try {
    if (::chown(path_.c_str(), options.uid, options.gid) != 0) failErrno("cannot chown", path_);
    if (::chmod(path_.c_str(), options.mode) != 0) failErrno("cannot chmod", path_);
    if (::listen(fd_.get(), 128) != 0) failErrno("cannot listen on", path_);
  } catch (...) {
    ::unlink(path_.c_str());
    throw;
  }
}

UnixListener::~UnixListener() {
  struct stat st{};
  if (::lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_) ::unlink(path_.c_str());
}

}  // namespace tenon::daemon
