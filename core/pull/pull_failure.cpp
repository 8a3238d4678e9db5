#include "pull/pull_failure.hpp"

#include <tenon/error.hpp>

namespace tenon::pull {

namespace {

bool isCancellation(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    return e.code() == TENON_CANCELLED;
  } catch (...) {
    return false;
  }
}

}  // namespace

void PullFailure::record(std::exception_ptr error) {
  {
    std::lock_guard lock(mutex_);
    bool cancellation = isCancellation(error);
    if (!error_ || (cancellation_ && !cancellation)) {
      error_ = error;
      cancellation_ = cancellation;
    }
  }
  stop_.request_stop();
}

void PullFailure::rethrow() {
  std::lock_guard lock(mutex_);
  if (error_) std::rethrow_exception(error_);
}

}  // namespace tenon::pull
