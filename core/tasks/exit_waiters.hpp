// Waiting for a process to exit without holding a thread: a waiter registers
// for (namespace, container id) on its event loop, and the runtime's
// /tasks/exit event (published from any thread) wakes every waiter of that
// container. The waker does not say which process exited: a woken waiter
// checks its process's state again and waits anew if it still runs.
#pragma once

#include <kj/async.h>

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tenon::tasks {

class ExitWaiters {
 public:
  // Resolves, on the calling thread's event loop, at the next exit of a
  // process of (ns, id) — or when the daemon stops (wakeAll).
  kj::Promise<void> next(const std::string& ns, const std::string& id);
  // From any thread: a process of (ns, id) exited.
  void exited(const std::string& ns, const std::string& id);
  // From any thread: wakes every waiter (at shutdown).
  void wakeAll();

 private:
  using Key = std::pair<std::string, std::string>;
  std::mutex mutex_;
  std::map<Key, std::vector<kj::Own<kj::CrossThreadPromiseFulfiller<void>>>> waiting_;
};

}  // namespace tenon::tasks
