// Copies ctr's stdio to and from a task's FIFOs on threads of their own while
// the main thread runs the RPC loop: stdin → the stdin FIFO (then
// `onStdinEnd`, e.g. to ask for close-stdin), the stdout and stderr FIFOs →
// ctr's stdout and stderr. FIFOs are opened without blocking and every wait
// also watches a wake-up pipe, so finish() can end the pumps even when the
// shim never came or a process keeps its output open.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "stdio/fifo_set.hpp"

namespace tenon::ctr {

class StdioPumps {
 public:
  StdioPumps(const FifoSet& fifos, bool withStdin, std::function<void()> onStdinEnd);
  ~StdioPumps();  // finish(0)
  StdioPumps(const StdioPumps&) = delete;
  StdioPumps& operator=(const StdioPumps&) = delete;

  // Once the process has exited: lets the output pumps drain until their
  // FIFOs end, at most `drainMillis`, then stops every pump and joins them.
  void finish(int drainMillis);

 private:
  void pumpIn(const std::string& fifo, std::function<void()> onEnd);
  void pumpOut(const std::string& fifo, int to);
  void copyOut(int from, int to);

  const FifoSet& fifos_;
  bool withStdin_;
  int wake_[2] = {-1, -1};
  std::vector<std::thread> outputs_;
  std::thread input_;
  bool finished_ = false;
  std::mutex mutex_;
  std::condition_variable outputEnded_;
  size_t outputsRunning_ = 0;
};

}  // namespace tenon::ctr
