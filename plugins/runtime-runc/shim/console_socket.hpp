// The socket a TTY's pty master arrives on: the runtime (runc's
// --console-socket) connects and sends the master as SCM_RIGHTS. A file in
// the shim's 0700 socket directory, unlinked when this object goes.
#pragma once

#include <chrono>
#include <filesystem>
#include <tenon/unique_fd.hpp>

namespace tenon::runtime_runc::shim {

class ConsoleSocket {
 public:
  explicit ConsoleSocket(std::filesystem::path path);
  ~ConsoleSocket();
  ConsoleSocket(const ConsoleSocket&) = delete;
  ConsoleSocket& operator=(const ConsoleSocket&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // The pty master the runtime sent (close-on-exec, non-blocking), waiting at
  // most `timeout` for its connection. Throws tenon::Error when none came.
  UniqueFd receiveMaster(std::chrono::milliseconds timeout);

 private:
  std::filesystem::path path_;
  UniqueFd listener_;
};

}  // namespace tenon::runtime_runc::shim
