#include "stdio/stdio_pumps.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace tenon::ctr {

namespace {

constexpr size_t kBuffer = 32 * 1024;

// Waits until `fd` is ready for `events` or the wake pipe is readable; false on wake-up.
bool waitFor(int fd, short events, int wake, int timeoutMillis = -1) {
  for (;;) {
    pollfd fds[2] = {{fd, events, 0}, {wake, POLLIN, 0}};
    int n = ::poll(fds, 2, timeoutMillis);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || (fds[1].revents & POLLIN)) return false;
    return true;
  }
}

// Writes all of `data` to the non-blocking `fd`; false when it closed or we were woken.
bool writeAll(int fd, const char* data, size_t size, int wake) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      if (!waitFor(fd, POLLOUT, wake)) return false;
      continue;
    }
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

StdioPumps::StdioPumps(const FifoSet& fifos, bool withStdin, std::function<void()> onStdinEnd)
    : fifos_(fifos), withStdin_(withStdin) {
  if (::pipe2(wake_, O_CLOEXEC) != 0) wake_[0] = wake_[1] = -1;
  outputsRunning_ = fifos_.stderrPath().empty() ? 1 : 2;
  outputs_.emplace_back([this] { pumpOut(fifos_.stdoutPath(), STDOUT_FILENO); });
  if (!fifos_.stderrPath().empty())
    outputs_.emplace_back([this] { pumpOut(fifos_.stderrPath(), STDERR_FILENO); });
  if (withStdin_) input_ = std::thread([this, onEnd = std::move(onStdinEnd)] { pumpIn(fifos_.stdinPath(), onEnd); });
}

StdioPumps::~StdioPumps() { finish(0); }

void StdioPumps::pumpIn(const std::string& fifo, std::function<void()> onEnd) {
  // A writer's non-blocking open fails (ENXIO) until the shim has the read end.
  int out = -1;
  while ((out = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
    pollfd wake{wake_[0], POLLIN, 0};
    if (errno != ENXIO || ::poll(&wake, 1, 20) != 0) return;
  }
  char buffer[kBuffer];
  bool ended = false;
  while (waitFor(STDIN_FILENO, POLLIN, wake_[0])) {
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ended = true;
      break;
    }
    if (!writeAll(out, buffer, static_cast<size_t>(n), wake_[0])) break;
  }
  ::close(out);
  if (ended && onEnd) onEnd();
}

void StdioPumps::pumpOut(const std::string& fifo, int to) {
  // A reader's non-blocking open succeeds at once; poll then waits for data,
  // and reports the end only after a writer has come and gone.
  int in = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (in >= 0) {
    copyOut(in, to);
    ::close(in);
  }
  std::lock_guard lock(mutex_);
  --outputsRunning_;
  outputEnded_.notify_all();
}

void StdioPumps::copyOut(int in, int to) {
  char buffer[kBuffer];
  while (waitFor(in, POLLIN, wake_[0])) {
    ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(to, buffer + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return;
      done += w;
    }
  }
}

void StdioPumps::finish(int drainMillis) {
  if (finished_) return;
  finished_ = true;
  {
    // Output ends by itself once every writer has closed its FIFO.
    std::unique_lock lock(mutex_);
    outputEnded_.wait_for(lock, std::chrono::milliseconds(drainMillis), [this] { return outputsRunning_ == 0; });
  }
  if (wake_[1] >= 0) (void)!::write(wake_[1], "x", 1);
  for (std::thread& t : outputs_)
    if (t.joinable()) t.join();
  if (input_.joinable()) input_.join();
  for (int fd : wake_)
    if (fd >= 0) ::close(fd);
}

}  // namespace tenon::ctr
