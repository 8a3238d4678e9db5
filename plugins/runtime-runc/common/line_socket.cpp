#include "common/line_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <tenon/error.hpp>

namespace tenon::runtime_runc {

namespace stdfs = std::filesystem;

namespace {

sockaddr_un addressOf(const stdfs::path& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string& s = path.native();
  if (s.empty() || s.size() >= sizeof addr.sun_path)
    fail(TENON_INVALID_ARGUMENT, "socket path " + s + " is longer than the " +
                                     std::to_string(sizeof addr.sun_path - 1) + " bytes a unix socket takes");
  std::memcpy(addr.sun_path, s.data(), s.size());
  return addr;
}

UniqueFd streamSocket() {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) fail(TENON_INTERNAL, std::string("cannot create a unix socket: ") + std::strerror(errno));
  return fd;
}

}  // namespace

UniqueFd listenUnix(const stdfs::path& path) {
  sockaddr_un addr = addressOf(path);
  UniqueFd fd = streamSocket();
  ::unlink(path.c_str());
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
    fail(TENON_INTERNAL, "cannot bind " + path.string() + ": " + std::strerror(errno));
  if (::chmod(path.c_str(), 0600) != 0 || ::listen(fd.get(), 64) != 0)
    fail(TENON_INTERNAL, "cannot listen on " + path.string() + ": " + std::strerror(errno));
  return fd;
}

UniqueFd connectUnix(const stdfs::path& path) {
  sockaddr_un addr = addressOf(path);
  UniqueFd fd = streamSocket();
  int rc;
  do {
    rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) fail(TENON_UNAVAILABLE, "cannot connect to " + path.string() + ": " + std::strerror(errno));
  return fd;
}

void sendLine(int fd, const std::string& line) {
  std::string framed = line + "\n";
  for (size_t done = 0; done < framed.size();) {
    ssize_t n = ::send(fd, framed.data() + done, framed.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(TENON_UNAVAILABLE, std::string("cannot send to the shim socket: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

std::optional<std::string> LineReader::nextLine() {
  size_t end = buffer_.find('\n');
  if (end == std::string::npos) {
    if (buffer_.size() > kMaxLineBytes)
      fail(TENON_RESOURCE_EXHAUSTED, "a line on the shim socket exceeds " + std::to_string(kMaxLineBytes) + " bytes");
    return std::nullopt;
  }
  std::string line = buffer_.substr(0, end);
  buffer_.erase(0, end + 1);
  return line;
}

bool LineReader::fill() {
  char chunk[16384];
  for (;;) {
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      if (buffer_.size() > kMaxLineBytes) return true;  // nextLine() reports it
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;  // closed, or the connection failed
  }
}

std::optional<std::string> LineReader::readLine(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto line = nextLine()) return line;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      fail(TENON_DEADLINE_EXCEEDED, "the shim did not answer within " + std::to_string(timeout.count()) + " ms");
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno != EINTR) fail(TENON_UNAVAILABLE, std::string("poll: ") + std::strerror(errno));
    if (rc > 0 && !fill()) return nextLine();
  }
}

}  // namespace tenon::runtime_runc
