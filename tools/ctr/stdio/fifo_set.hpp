// The FIFOs a task's stdio goes through: created by ctr in a private
// directory (0700, under $TMPDIR), opened by the shim on one side and by ctr on
// the other, so container output never passes through the daemon. Removed,
// with the directory, by the destructor.
#pragma once

#include <string>

namespace tenon::ctr {

class FifoSet {
 public:
  // Makes stdin, stdout and (unless `terminal`: a TTY has one output) stderr.
  explicit FifoSet(bool terminal);
  ~FifoSet();
  FifoSet(const FifoSet&) = delete;
  FifoSet& operator=(const FifoSet&) = delete;

  const std::string& stdinPath() const { return stdin_; }
  const std::string& stdoutPath() const { return stdout_; }
  const std::string& stderrPath() const { return stderr_; }  // "" with a terminal

 private:
  void removeAll() noexcept;

  std::string dir_, stdin_, stdout_, stderr_;
};

}  // namespace tenon::ctr
