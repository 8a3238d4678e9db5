// Unix stream sockets that carry one JSON object per line: the transport of
// the shim protocol (shim_protocol.hpp). Socket files only, never abstract
// sockets (CVE-2020-15257: a host-network container reaches abstract ones),
// in a directory the caller keeps 0700.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <tenon/unique_fd.hpp>

namespace tenon::runtime_runc {

// The longest line either side accepts: a process spec with a large env fits.
inline constexpr size_t kMaxLineBytes = 4 << 20;

// A listening socket at `path` (a stale file there is replaced), mode 0600,
// close-on-exec. Throws tenon::Error naming the path.
UniqueFd listenUnix(const std::filesystem::path& path);

// A connection to the socket at `path`. Fails fast, with unavailable, when
// nothing listens there (no file, or connection refused: a dead shim).
UniqueFd connectUnix(const std::filesystem::path& path);

// Writes `line` and a '\n' (never raising SIGPIPE); throws unavailable when the peer is gone.
void sendLine(int fd, const std::string& line);

// Splits what a socket delivers into lines.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  // The next line (without '\n'), waiting at most `timeout`; nullopt when the
  // peer closed first. Throws deadline_exceeded, or unavailable on an error.
  std::optional<std::string> readLine(std::chrono::milliseconds timeout);

  // For an event loop: reads what is there now from a non-blocking socket.
  // False once the peer has closed (or the connection failed).
  bool fill();
  // A complete line already read, if any.
  std::optional<std::string> nextLine();

 private:
  int fd_;
  std::string buffer_;
};

}  // namespace tenon::runtime_runc
