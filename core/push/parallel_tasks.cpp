#include "push/parallel_tasks.hpp"

#include <tenon/error.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tenon::push {

void runInParallel(std::size_t count, unsigned width, std::stop_token stop,
                   const std::function<void(std::size_t, std::stop_token)>& task) {
  std::stop_source tasksStop;
  std::stop_callback forward(stop, [&tasksStop] { tasksStop.request_stop(); });
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::exception_ptr firstError;
  auto work = [&] {
    for (std::size_t i; !tasksStop.stop_requested() && (i = next++) < count;) {
      try {
        task(i, tasksStop.get_token());
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!firstError) firstError = std::current_exception();
        tasksStop.request_stop();
      }
    }
  };
  {
    std::vector<std::jthread> helpers;
    std::size_t threads = std::min<std::size_t>(std::max(width, 1u), count);
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();
  }  // joined here
  if (firstError) std::rethrow_exception(firstError);
  if (stop.stop_requested()) fail(TENON_CANCELLED, "cancelled");
}

}  // namespace tenon::push
