// How the plugin learns of exits without polling: one `events` connection
// per shim, all watched by one thread (epoll). Each exit line the shim sends
// goes to `onExit`; a connection that ends while its task is not being
// deleted means the shim died, and goes to `onShimGone`. Stopping the
// monitor (the plugin's fini) closes the connections only: the shims and
// their containers keep running, and a restarted plugin subscribes again.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <tenon/unique_fd.hpp>
#include <thread>

#include "common/line_socket.hpp"
#include "common/shim_protocol.hpp"
#include "plugin/task.hpp"

namespace tenon::runtime_runc {

class ExitMonitor {
 public:
  using ExitHandler = std::function<void(const std::shared_ptr<Task>&, const ProcessState&)>;
  using GoneHandler = std::function<void(const std::shared_ptr<Task>&)>;

  // The handlers run on the monitor's thread, one at a time.
  ExitMonitor(ExitHandler onExit, GoneHandler onShimGone);
  ~ExitMonitor();
  ExitMonitor(const ExitMonitor&) = delete;
  ExitMonitor& operator=(const ExitMonitor&) = delete;

  // Watches `events` (ShimClient::subscribe) for `task`.
  void watch(std::shared_ptr<Task> task, UniqueFd events);
  // Stops watching `task` (it is being deleted); no handler runs for it afterwards.
  void unwatch(const Task& task);

 private:
  struct Watched {
    std::shared_ptr<Task> task;
    UniqueFd fd;
    LineReader reader;
    Watched(std::shared_ptr<Task> t, UniqueFd f) : task(std::move(t)), fd(std::move(f)), reader(fd.get()) {}
  };

  void run();
  void handle(int fd);

  ExitHandler onExit_;
  GoneHandler onShimGone_;
  UniqueFd epoll_;
  UniqueFd wake_;  // an eventfd: written to stop the thread
  std::mutex mutex_;
  // Held while a handler runs, so that unwatch() returns only once none runs for its task.
  std::mutex dispatching_;
  std::map<int, std::unique_ptr<Watched>> watched_;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace tenon::runtime_runc
