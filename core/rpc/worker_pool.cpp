#include "rpc/worker_pool.hpp"

namespace tenon::rpc {

WorkerPool::WorkerPool(size_t threads) {
  if (threads == 0) threads = 1;
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::post(kj::Function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(kj::mv(job));
  }
  ready_.notify_one();
}

void WorkerPool::work() {
  for (;;) {
    kj::Function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = kj::mv(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace tenon::rpc
