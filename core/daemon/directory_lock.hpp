// One daemon per directory: an exclusive flock on <dir>/tenond.lock, held for
// the daemon's life and released by the kernel even after SIGKILL.
#pragma once

#include <tenon/unique_fd.hpp>

#include <filesystem>
#include <string>

namespace tenon::daemon {

class DirectoryLock {
 public:
  // Takes the lock and writes our pid into it; throws failed_precondition
  // naming the other daemon's pid when it is taken. `role` ("root", "state")
  // names the directory in that message.
  DirectoryLock(const std::filesystem::path& dir, const std::string& role);

 private:
  UniqueFd fd_;
};

}  // namespace tenon::daemon
