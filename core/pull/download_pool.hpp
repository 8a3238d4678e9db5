// A pull's blob downloads, run on a bounded number of threads of their own
// (max_concurrent_downloads), taken in the order given: configs first, then
// layers in manifest order, so that the unpack's next layer is always among
// the first to arrive. A job that throws records its error in the pull's
// PullFailure, which stops the pull: jobs not yet begun are skipped.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "pull/pull_failure.hpp"

namespace tenon::pull {

class DownloadPool {
 public:
  using Job = std::function<void(std::stop_token)>;

  // Starts min(workers, jobs) threads at once.
  DownloadPool(unsigned workers, std::vector<Job> jobs, std::stop_token stop, PullFailure& failure);
  // Waits for the threads.
  ~DownloadPool() { wait(); }
  DownloadPool(const DownloadPool&) = delete;
  DownloadPool& operator=(const DownloadPool&) = delete;

  // Returns once every job ran (or was skipped after a failure or a stop).
  void wait();

 private:
  void work();

  std::vector<Job> jobs_;
  std::stop_token stop_;
  PullFailure& failure_;
  std::mutex mutex_;
  std::size_t next_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace tenon::pull
