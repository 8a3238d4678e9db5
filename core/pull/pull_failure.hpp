// The error a pull fails with when several of its threads fail: the first
// that is not a cancellation (one failure cancels the rest, whose
// "cancelled" errors only echo it). Recording a failure stops the pull.
#pragma once

#include <exception>
#include <mutex>
#include <stop_token>

namespace tenon::pull {

class PullFailure {
 public:
  explicit PullFailure(std::stop_source stop) : stop_(std::move(stop)) {}

  // Any thread: records what is being thrown (call it from a catch block's
  // std::current_exception()) and stops the pull.
  void record(std::exception_ptr error);
  // Throws the recorded error, if any.
  void rethrow();

 private:
  std::stop_source stop_;
  std::mutex mutex_;
  std::exception_ptr error_;
  bool cancellation_ = false;  // error_ is a cancellation: a real error replaces it
};

}  // namespace tenon::pull
