// The daemon's listening unix socket: created with the configured mode and
// owner, replacing a stale socket left by a crash but never one a live
// server still answers on; removed again when the listener goes away.
#pragma once

#include <sys/types.h>

#include <tenon/unique_fd.hpp>

#include <string>

namespace tenon::daemon {

struct SocketOptions {
  std::string path;
  mode_t mode = 0660;
  uid_t uid = 0;
  gid_t gid = 0;
};

class UnixListener {
 public:
  // Binds and listens; throws tenon::Error naming the path on failure.
  explicit UnixListener(const SocketOptions& options);
  ~UnixListener();
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;

  // Hands the listening fd to the event loop; the socket file stays ours to remove.
  int releaseFd() { return fd_.release(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  UniqueFd fd_;
  dev_t dev_ = 0;  // identity of the socket file we created, so that we only
  ino_t ino_ = 0;  // ever unlink our own
};

}  // namespace tenon::daemon
