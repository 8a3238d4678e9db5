// The thread a transfer session (unpack, pull, push) runs its work on: the
// work blocks on disks and registries for as long as it takes, which must
// not hold the event loop or a worker of the pool. Its value or error
// settles result() once every progress event was sent; ended() resolves when
// the thread has nothing left to do, so that a SessionKeeper can let the
// session go without blocking the loop.
#pragma once

#include <kj/async.h>

#include <functional>
#include <stop_token>
#include <thread>
#include <tenon/error.hpp>

#include "rpc/rpc_errors.hpp"
#include "transfer/progress_channel.hpp"

namespace tenon::transfer {

template <class T>
class SessionThread {
 public:
  // Create on the event loop's thread; `progress` must outlive this.
  explicit SessionThread(ProgressChannel& progress) : progress_(progress) {
    auto result = kj::newPromiseAndCrossThreadFulfiller<T>();
    result_ = kj::mv(result.promise);
    resultFulfiller_ = kj::mv(result.fulfiller);
    auto ended = kj::newPromiseAndCrossThreadFulfiller<void>();
    ended_ = kj::mv(ended.promise);
    endedFulfiller_ = kj::mv(ended.fulfiller);
  }
  // Stops the work and waits for it.
  ~SessionThread() {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
  }
  SessionThread(const SessionThread&) = delete;
  SessionThread& operator=(const SessionThread&) = delete;

  // Runs `work` on the thread, then closes the progress channel, then `after` (either way).
  void start(std::function<T(std::stop_token)> work, std::function<void()> after = {}) {
    thread_ = std::jthread([this, work = std::move(work), after = std::move(after)](std::stop_token stop) {
      try {
        resultFulfiller_->fulfill(work(std::move(stop)));
      } catch (const Error& e) {
        resultFulfiller_->reject(rpc::toKjException(e.code(), e.what()));
      } catch (const std::exception& e) {
        resultFulfiller_->reject(rpc::toKjException(TENON_INTERNAL, e.what()));
      }
      progress_.close();
      if (after) after();
      endedFulfiller_->fulfill();
    });
  }

  // The work's value, once every progress event was sent. Once only.
  kj::Promise<T> result() {
    KJ_IF_MAYBE(result, result_) {
      kj::Promise<T> value = kj::mv(*result);
      result_ = nullptr;
      return value.then([this](T done) {
        return progress_.drained().then([done = kj::mv(done)]() mutable { return kj::mv(done); });
      });
    }
    return rpc::toKjException(TENON_FAILED_PRECONDITION, "result() was called already");
  }
  // Any thread: asks the work to stop.
  void cancel() { thread_.request_stop(); }
  // Resolves once the thread is done. Once only.
  kj::Promise<void> ended() { return kj::mv(ended_); }

 private:
  ProgressChannel& progress_;
  kj::Maybe<kj::Promise<T>> result_;
  kj::Own<kj::CrossThreadPromiseFulfiller<T>> resultFulfiller_;
  kj::Promise<void> ended_{nullptr};
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> endedFulfiller_;
  std::jthread thread_;
};

}  // namespace tenon::transfer
