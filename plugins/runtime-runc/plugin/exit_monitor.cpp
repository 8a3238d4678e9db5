#include "plugin/exit_monitor.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace tenon::runtime_runc {

ExitMonitor::ExitMonitor(ExitHandler onExit, GoneHandler onShimGone)
    : onExit_(std::move(onExit)),
      onShimGone_(std::move(onShimGone)),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!epoll_ || !wake_) fail(TENON_INTERNAL, std::string("cannot set up the exit monitor: ") + std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_.get();
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &ev);
  thread_ = std::thread([this] { run(); });
}

ExitMonitor::~ExitMonitor() {
  uint64_t one = 1;
  (void)::write(wake_.get(), &one, sizeof one);
  thread_.join();
}

void ExitMonitor::watch(std::shared_ptr<Task> task, UniqueFd events) {
  int fd = events.get();
  std::lock_guard lock(mutex_);
  watched_[fd] = std::make_unique<Watched>(std::move(task), std::move(events));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
    watched_.erase(fd);
    fail(TENON_INTERNAL, std::string("cannot watch a shim: ") + std::strerror(errno));
  }
}

void ExitMonitor::unwatch(const Task& task) {
  std::lock_guard dispatching(dispatching_);
  std::lock_guard lock(mutex_);
  for (auto it = watched_.begin(); it != watched_.end(); ++it) {
    if (it->second->task.get() != &task) continue;
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, it->first, nullptr);
    watched_.erase(it);
    return;
  }
}

void ExitMonitor::run() {
  epoll_event events[32];
  for (;;) {
    int n = ::epoll_wait(epoll_.get(), events, 32, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;
    for (int i = 0; i < n; ++i) {
      if (events[i].data.fd == wake_.get()) return;
      handle(events[i].data.fd);
    }
  }
}

// Reads what the shim sent, then runs the handlers without holding mutex_
// (they publish events and may take their time), but under dispatching_.
void ExitMonitor::handle(int fd) {
  std::lock_guard dispatching(dispatching_);
  std::shared_ptr<Task> task;
  std::vector<ProcessState> exits;
  bool gone = false;
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(fd);
    if (it == watched_.end()) return;  // unwatched since epoll reported it
    Watched& w = *it->second;
    task = w.task;
    gone = !w.reader.fill();
    try {
      while (auto line = w.reader.nextLine()) {
        json event = json::parse(*line, nullptr, false);
        if (event.is_object() && event.value("event", "") == "exit") exits.push_back(event.get<ProcessState>());
      }
    } catch (const std::exception&) {
      gone = true;  // a shim that talks nonsense is as good as gone
    }
    if (gone) {
      ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
      watched_.erase(it);
    }
  }
  for (const ProcessState& exit : exits) onExit_(task, exit);
  if (gone && !task->removing()) onShimGone_(task);
}

}  // namespace tenon::runtime_runc
