#include "shim/pump.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace tenon::runtime_runc::shim {

Pump::Pump(EventLoop& loop, UniqueFd from, UniqueFd to, std::function<void()> onEnd)
    : loop_(loop), from_(std::move(from)), to_(std::move(to)), onEnd_(std::move(onEnd)) {
  updateInterest();
}

Pump::~Pump() {
  if (watchingFrom_) loop_.remove(from_.get());
  if (watchingTo_) loop_.remove(to_.get());
}

void Pump::onFromReady() {
  readSome();
  writeSome();
  updateInterest();
}

void Pump::onToReady() {
  writeSome();
  updateInterest();
}

size_t Pump::readSome() {
  size_t total = 0;
  while (from_ && buffer_.size() < kBufferBytes) {
    char chunk[16384];
    size_t room = std::min(sizeof chunk, kBufferBytes - buffer_.size());
    ssize_t n = ::read(from_.get(), chunk, room);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      total += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return total;
    // EOF, or EIO: a pty master reads EIO once no one holds the slave.
    if (watchingFrom_) loop_.remove(from_.get());
    watchingFrom_ = false;
    from_.reset();
  }
  return total;
}

size_t Pump::writeSome() {
  size_t total = 0;
  while (to_ && !buffer_.empty()) {
    ssize_t n = ::write(to_.get(), buffer_.data(), buffer_.size());
    if (n > 0) {
      buffer_.erase(0, static_cast<size_t>(n));
      total += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return total;
    // The destination is gone (a pty whose process exited): nothing more can be delivered.
    buffer_.clear();
    if (watchingFrom_) loop_.remove(from_.get());
    watchingFrom_ = false;
    from_.reset();
  }
  return total;
}

void Pump::updateInterest() {
  if (!to_) return;
  if (!from_ && buffer_.empty()) return finish();
  bool wantFrom = from_ && buffer_.size() < kBufferBytes;
  bool wantTo = !buffer_.empty();
  if (wantFrom != watchingFrom_) {
    if (wantFrom) {
      loop_.add(from_.get(), EPOLLIN, [this](uint32_t) { onFromReady(); });
    } else {
      loop_.remove(from_.get());
    }
    watchingFrom_ = wantFrom;
  }
  // Watched only while there is something to write: a pty master that has
  // lost its slave reports EPOLLHUP all the time, which must not spin the loop.
  if (wantTo != watchingTo_) {
    if (wantTo) {
      loop_.add(to_.get(), EPOLLOUT, [this](uint32_t) { onToReady(); });
    } else {
      loop_.remove(to_.get());
    }
    watchingTo_ = wantTo;
  }
}

void Pump::copyNow() {
  while (to_ && readSome() + writeSome() > 0) {
  }
  updateInterest();
}

void Pump::finish() {
  if (watchingFrom_) loop_.remove(from_.get());
  if (watchingTo_) loop_.remove(to_.get());
  watchingFrom_ = watchingTo_ = false;
  from_.reset();
  to_.reset();
  if (onEnd_) std::exchange(onEnd_, nullptr)();
}

}  // namespace tenon::runtime_runc::shim
