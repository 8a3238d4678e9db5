#include "shim/console_socket.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <tenon/error.hpp>

#include "common/line_socket.hpp"

namespace tenon::runtime_runc::shim {

ConsoleSocket::ConsoleSocket(std::filesystem::path path) : path_(std::move(path)), listener_(listenUnix(path_)) {}

ConsoleSocket::~ConsoleSocket() { ::unlink(path_.c_str()); }

namespace {

// The one fd carried by a message on `conn`.
UniqueFd receiveFd(int conn) {
  char data[256];
  iovec iov{data, sizeof data};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) fail(TENON_INTERNAL, std::string("cannot receive the console: ") + std::strerror(errno));
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
      return UniqueFd(fd);
    }
  }
  fail(TENON_INTERNAL, "the runtime connected to the console socket but sent no pty master");
}

}  // namespace

UniqueFd ConsoleSocket::receiveMaster(std::chrono::milliseconds timeout) {
  pollfd p{listener_.get(), POLLIN, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  if (rc <= 0) fail(TENON_INTERNAL, "the runtime sent no pty master to " + path_.string());
  UniqueFd conn(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) fail(TENON_INTERNAL, std::string("cannot accept the console connection: ") + std::strerror(errno));
  UniqueFd master = receiveFd(conn.get());
  ::fcntl(master.get(), F_SETFL, ::fcntl(master.get(), F_GETFL) | O_NONBLOCK);
  return master;
}

}  // namespace tenon::runtime_runc::shim
