// One daemon per root: an exclusive flock on <root>/tenond.lock, held for
// the daemon's life and released by the kernel even after SIGKILL.
#pragma once

#include <tenon/unique_fd.hpp>

#include <filesystem>

namespace tenon::daemon {

class RootLock {
 public:
  // Takes the lock and writes our pid into it; throws failed_precondition
  // naming the other daemon's pid when it is taken.
  explicit RootLock(const std::filesystem::path& root);

 private:
  UniqueFd fd_;
};

}  // namespace tenon::daemon
