// Blocking work off the event loop: plugins' service functions may block
// (disk, network), so RPC methods run them on a small pool of threads and get
// a promise that resolves back on the loop's thread. Errors cross as the RPC
// error the client will see ("<code>: <message>").
#pragma once

#include <kj/async.h>
#include <kj/function.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "rpc/rpc_errors.hpp"

namespace tenon::rpc {

class WorkerPool {
 public:
  explicit WorkerPool(size_t threads);
  ~WorkerPool();  // finishes queued work, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `fn` on a worker. Call from a thread with a KJ event loop; the
  // promise resolves on that thread. Dropping the promise does not stop `fn`.
  template <class F>
  kj::Promise<std::invoke_result_t<F>> run(F&& fn);

 private:
  void post(kj::Function<void()> job);
  void work();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<kj::Function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

template <class F>
kj::Promise<std::invoke_result_t<F>> WorkerPool::run(F&& fn) {
  using T = std::invoke_result_t<F>;
  auto paf = kj::newPromiseAndCrossThreadFulfiller<T>();
  post([fulfiller = kj::mv(paf.fulfiller), fn = std::forward<F>(fn)]() mutable {
    try {
      if constexpr (std::is_void_v<T>) {
        fn();
        fulfiller->fulfill();
      } else {
        fulfiller->fulfill(fn());
      }
    } catch (const Error& e) {
      fulfiller->reject(toKjException(e.code(), e.what()));
    } catch (const std::exception& e) {
      fulfiller->reject(toKjException(TENON_INTERNAL, e.what()));
    }
  });
  return kj::mv(paf.promise);
}

}  // namespace tenon::rpc
