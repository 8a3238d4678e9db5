#include "transfer/byte_pipe.hpp"

#include <algorithm>
#include <cstring>
#include <tenon/error.hpp>

#include "rpc/rpc_errors.hpp"

namespace tenon::transfer {

kj::Exception BytePipe::failureException() const { return rpc::toKjException(failure_->code, failure_->message); }

void BytePipe::wakeRoomWaiters() {
  for (auto& waiter : roomWaiters_) {
    if (failure_)
      waiter->reject(failureException());
    else
      waiter->fulfill();
  }
  roomWaiters_.clear();
}

void BytePipe::wakeLoopWaiters() {
  wakeRoomWaiters();
  if (dataWaiter_) {
    dataWaiter_->fulfill();  // the reader's take() or atEnd() then sees what happened
    dataWaiter_ = nullptr;
  }
}

kj::Promise<void> BytePipe::writeAsync(kj::ArrayPtr<const kj::byte> bytes) {
  std::lock_guard lock(mutex_);
  if (failure_) return failureException();
  if (closed_) return rpc::toKjException(TENON_INTERNAL, "write after the end of the stream");
  if (bytes.size() > 0) {
    chunks_.emplace_back(bytes.begin(), bytes.end());
    buffered_ += bytes.size();
    changed_.notify_all();
    if (dataWaiter_) {
      dataWaiter_->fulfill();
      dataWaiter_ = nullptr;
    }
  }
  if (buffered_ < capacity_) return kj::READY_NOW;
  auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
  roomWaiters_.push_back(kj::mv(paf.fulfiller));
  return kj::mv(paf.promise);
}

kj::Promise<void> BytePipe::whenReadable() {
  std::lock_guard lock(mutex_);
  if (failure_) return failureException();
  if (buffered_ > 0 || closed_) return kj::READY_NOW;
  auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
  dataWaiter_ = kj::mv(paf.fulfiller);
  return kj::mv(paf.promise);
}

std::vector<std::uint8_t> BytePipe::take(std::size_t max) {
  std::lock_guard lock(mutex_);
  if (failure_) throw failureException();
  std::vector<std::uint8_t> out;
  while (!chunks_.empty() && out.size() < max) {
    std::vector<std::uint8_t>& front = chunks_.front();
    std::size_t n = std::min(max - out.size(), front.size() - frontOffset_);
    out.insert(out.end(), front.begin() + static_cast<std::ptrdiff_t>(frontOffset_),
               front.begin() + static_cast<std::ptrdiff_t>(frontOffset_ + n));
    frontOffset_ += n;
    if (frontOffset_ == front.size()) {
      chunks_.pop_front();
      frontOffset_ = 0;
    }
  }
  buffered_ -= out.size();
  changed_.notify_all();
  return out;
}

bool BytePipe::atEnd() {
  std::lock_guard lock(mutex_);
  return closed_ && buffered_ == 0;
}

std::size_t BytePipe::read(void* buffer, std::size_t max) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return failure_ || buffered_ > 0 || closed_; });
  if (failure_) tenon::fail(failure_->code, failure_->message);
  std::size_t done = 0;
  auto* out = static_cast<std::uint8_t*>(buffer);
  while (!chunks_.empty() && done < max) {
    std::vector<std::uint8_t>& front = chunks_.front();
    std::size_t n = std::min(max - done, front.size() - frontOffset_);
    std::memcpy(out + done, front.data() + frontOffset_, n);
    done += n;
    frontOffset_ += n;
    if (frontOffset_ == front.size()) {
      chunks_.pop_front();
      frontOffset_ = 0;
    }
  }
  buffered_ -= done;
  changed_.notify_all();  // a writer on another thread waits for room too
  if (buffered_ < capacity_) wakeRoomWaiters();
  return done;
}

void BytePipe::write(const void* data, std::size_t size) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return failure_ || buffered_ < capacity_; });
  if (failure_) tenon::fail(failure_->code, failure_->message);
  if (size == 0) return;
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  chunks_.emplace_back(bytes, bytes + size);
  buffered_ += size;
  changed_.notify_all();  // a reader on another thread
  if (dataWaiter_) {
    dataWaiter_->fulfill();
    dataWaiter_ = nullptr;
  }
}

void BytePipe::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
  wakeLoopWaiters();
}

void BytePipe::fail(tenon_status code, const std::string& message) {
  std::lock_guard lock(mutex_);
  if (!failure_) failure_ = Failure{code, message};
  chunks_.clear();
  frontOffset_ = 0;
  buffered_ = 0;
  changed_.notify_all();
  wakeLoopWaiters();
}

void BytePipe::throwIfFailed() {
  std::lock_guard lock(mutex_);
  if (failure_) tenon::fail(failure_->code, failure_->message);
}

}  // namespace tenon::transfer
