// A bounded pipe of bytes between the event loop and one worker thread, in
// either direction: an import's archive flows from RPC writes to libarchive's
// reader on a thread; an export's tar flows from libarchive's writer on a
// thread to RPC writes. The loop's side never blocks (it gets promises); the
// thread's side blocks. Bounded both ways, so that a fast producer waits for a
// slow consumer and memory stays flat whatever the archive's size.
//
// Either side may fail the pipe (a bad archive, a client gone): from then on
// every operation on both sides fails with that first error.
#pragma once

#include <kj/async.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <tenon/status.h>
#include <vector>

namespace tenon::transfer {

class BytePipe {
 public:
  explicit BytePipe(std::size_t capacity) : capacity_(capacity) {}
  BytePipe(const BytePipe&) = delete;
  BytePipe& operator=(const BytePipe&) = delete;

  // Loop side, writing: queues `bytes`; resolves once the pipe holds less than
  // its capacity again (a writer that waits before writing more stays bounded).
  kj::Promise<void> writeAsync(kj::ArrayPtr<const kj::byte> bytes);
  // Loop side, reading: resolves when bytes, the end or a failure can be taken.
  kj::Promise<void> whenReadable();
  // Loop side, reading: up to `max` bytes without waiting; empty at the end
  // (and while nothing is buffered: call after whenReadable()).
  std::vector<std::uint8_t> take(std::size_t max);
  // Whether the writer closed the pipe and every byte was taken.
  bool atEnd();

  // Thread side, reading: blocks for bytes; 0 at the end. Throws the failure.
  std::size_t read(void* buffer, std::size_t max);
  // Thread side, writing: blocks while the pipe is full. Throws the failure.
  void write(const void* data, std::size_t size);

  // The writer's end: no more bytes.
  void close();
  // Fails the pipe (the first failure wins) and wakes both sides.
  void fail(tenon_status code, const std::string& message);
  // Throws the failure as a tenon::Error, if there is one.
  void throwIfFailed();

 private:
  struct Failure {
    tenon_status code;
    std::string message;
  };
  kj::Exception failureException() const;  // mutex_ held, failure_ set
  void wakeLoopWaiters();                   // mutex_ held
  void wakeRoomWaiters();                   // mutex_ held

  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;  // for the thread side
  std::deque<std::vector<std::uint8_t>> chunks_;
  std::size_t frontOffset_ = 0;  // bytes of chunks_.front() already taken
  std::size_t buffered_ = 0;
  bool closed_ = false;
  std::optional<Failure> failure_;
  // The loop's writes waiting for room: several, since RPC delivers a
  // stream's writes without waiting for the previous one to return.
  std::vector<kj::Own<kj::CrossThreadPromiseFulfiller<void>>> roomWaiters_;
  // The loop's reader waiting for bytes (one reader, one wait at a time).
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> dataWaiter_;
};

}  // namespace tenon::transfer
