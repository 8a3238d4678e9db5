// A copy from one non-blocking fd to another through a bounded buffer,
// driven by the shim's event loop: a TTY's stdin FIFO into the pty master,
// and the master's output into the stdout FIFO. While the buffer is full it
// stops reading, so a client that does not read slows the container down
// instead of growing the shim.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <tenon/unique_fd.hpp>

#include "shim/event_loop.hpp"

namespace tenon::runtime_runc::shim {

class Pump {
 public:
  // Copies `from` into `to` (both non-blocking, both owned). Once `from` has
  // ended (EOF, or EIO from a pty whose other side is gone) and what was read
  // has been written, `to` is closed and `onEnd` runs.
  Pump(EventLoop& loop, UniqueFd from, UniqueFd to, std::function<void()> onEnd = {});
  ~Pump();
  Pump(const Pump&) = delete;
  Pump& operator=(const Pump&) = delete;

  // Copies what can be copied now without waiting: on the process's exit,
  // so that its last output is in the FIFO before its exit is reported.
  void copyNow();
  bool ended() const { return !to_; }

 private:
  static constexpr size_t kBufferBytes = 64 * 1024;

  void onFromReady();
  void onToReady();
  // Each returns the bytes it moved.
  size_t readSome();
  size_t writeSome();
  void updateInterest();
  void finish();

  EventLoop& loop_;
  UniqueFd from_;
  UniqueFd to_;
  std::function<void()> onEnd_;
  std::string buffer_;
  bool watchingFrom_ = false;
  bool watchingTo_ = false;
};

}  // namespace tenon::runtime_runc::shim
