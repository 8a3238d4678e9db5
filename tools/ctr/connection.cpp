#include "connection.hpp"

#include <fmt/core.h>
#include <kj/io.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <tenon/error.hpp>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <string_view>

namespace tenon::ctr {
namespace {

// Accepts "unix:///run/tenon/tenon.sock" as well as the bare path, like containerd's ctr.
std::string socketPath(std::string_view address) {
  constexpr std::string_view scheme = "unix://";
  if (address.starts_with(scheme))
    address.remove_prefix(scheme.size());
  else if (address.find("://") != std::string_view::npos)
    fail(TENON_INVALID_ARGUMENT,
         fmt::format("unsupported address {}: tenond listens on a unix socket", address));
  if (address.empty()) fail(TENON_INVALID_ARGUMENT, "the address is empty");
  return std::string(address);
}

[[noreturn]] void failToConnect(const std::string& path, int error, double timeoutSeconds) {
  std::string_view hint;
  tenon_status code = TENON_UNAVAILABLE;
  std::string reason = std::strerror(error);
  if (error == ENOENT || error == ECONNREFUSED) {
    hint = " (is tenond running?)";
  } else if (error == EACCES || error == EPERM) {
    code = TENON_PERMISSION_DENIED;
    hint = " (the socket is usually only open to root)";
  } else if (error == EAGAIN && timeoutSeconds > 0) {
    // A blocking connect(2) on a unix socket only fails with EAGAIN when SO_SNDTIMEO expired.
    code = TENON_DEADLINE_EXCEEDED;
    reason = fmt::format("timed out after {}s", timeoutSeconds);
  }
  fail(code, fmt::format("cannot connect to tenond at {}: {}{}", path, reason, hint));
}

// Cap'n Proto lets as many streaming bytes be in flight as the socket's send
// buffer holds (SO_SNDBUF). The default (~208 KiB) is smaller than one 1 MiB
// chunk, which would make every write of an ingest wait a round trip; root may
// raise it past the sysctl cap (SO_SNDBUFFORCE), others get what they can.
void widenSendWindow(int fd) {
  int size = 16 << 20;
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

// We connect(2) ourselves instead of going through kj's network API so that the errno of a
// missing or unreachable daemon reaches the user as it is.
kj::AutoCloseFd connectUnix(const std::string& path, double timeoutSeconds) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path))
    fail(TENON_INVALID_ARGUMENT, fmt::format("socket path too long ({} bytes, at most {}): {}", path.size(),
                                             sizeof(addr.sun_path) - 1, path));
  std::memcpy(addr.sun_path, path.data(), path.size());

  kj::AutoCloseFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) fail(TENON_INTERNAL, fmt::format("socket: {}", std::strerror(errno)));
  if (timeoutSeconds > 0) {
    // On a unix socket SO_SNDTIMEO also bounds connect(2), which blocks while the
    // daemon's listen backlog is full.
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeoutSeconds);
    tv.tv_usec = static_cast<suseconds_t>((timeoutSeconds - std::floor(timeoutSeconds)) * 1e6);
    ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  }
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) < 0)
    failToConnect(path, errno, timeoutSeconds);
  widenSendWindow(fd.get());
  return fd;
}

kj::Maybe<kj::TimePoint> deadlineAfter(kj::Timer& timer, double seconds) {
  if (seconds <= 0) return nullptr;
  return timer.now() + static_cast<int64_t>(seconds * 1e9) * kj::NANOSECONDS;
}

}  // namespace

Connection::Connection(const GlobalOptions& options)
    : options_(options),
      io_(kj::setupAsyncIo()),
      deadline_(deadlineAfter(io_.provider->getTimer(), options.timeoutSeconds)),
      stream_(io_.lowLevelProvider->wrapSocketFd(
          connectUnix(socketPath(options.address), options.timeoutSeconds))),
      client_(*stream_),
      tenon_(client_.bootstrap().castAs<rpc::Tenon>()) {
  if (options.debug) fmt::print(stderr, "ctr: debug: connected to {}\n", options.address);
}

void Connection::setContext(rpc::Context::Builder ctx) const {
  ctx.setNamespace(options_.ns);
  const std::string& lease = lease_.empty() ? options_.lease : lease_;
  if (!lease.empty()) ctx.setLease(lease);
}

kj::Exception Connection::timedOut() const {
  // Worded like the daemon's own errors, so that errors.cpp reads it the same way.
  return kj::Exception(
      kj::Exception::Type::OVERLOADED, __FILE__, __LINE__,
      kj::str("deadline_exceeded: no answer from tenond within ", options_.timeoutSeconds, "s"));
}

}  // namespace tenon::ctr
