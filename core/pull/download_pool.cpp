#include "pull/download_pool.hpp"

#include <algorithm>

namespace tenon::pull {

DownloadPool::DownloadPool(unsigned workers, std::vector<Job> jobs, std::stop_token stop, PullFailure& failure)
    : jobs_(std::move(jobs)), stop_(std::move(stop)), failure_(failure) {
  std::size_t count = std::min<std::size_t>(std::max(workers, 1u), jobs_.size());
  for (std::size_t i = 0; i < count; ++i) threads_.emplace_back([this] { work(); });
}

void DownloadPool::wait() {
  for (std::thread& thread : threads_)
    if (thread.joinable()) thread.join();
}

void DownloadPool::work() {
  for (;;) {
    std::size_t i;
    {
      std::lock_guard lock(mutex_);
      if (next_ == jobs_.size() || stop_.stop_requested()) return;
      i = next_++;
    }
    try {
      jobs_[i](stop_);
    } catch (...) {
      failure_.record(std::current_exception());
    }
  }
}

}  // namespace tenon::pull
