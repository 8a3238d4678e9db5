#include "shim/event_loop.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <tenon/error.hpp>

namespace tenon::runtime_runc::shim {

EventLoop::EventLoop() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (!epoll_) fail(TENON_INTERNAL, std::string("epoll_create1: ") + std::strerror(errno));
}

void EventLoop::add(int fd, uint32_t events, Handler handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0)
    fail(TENON_INTERNAL, "epoll_ctl(ADD, " + std::to_string(fd) + "): " + std::strerror(errno));
  handlers_[fd] = std::make_shared<Handler>(std::move(handler));
}

void EventLoop::modify(int fd, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0)
    fail(TENON_INTERNAL, "epoll_ctl(MOD, " + std::to_string(fd) + "): " + std::strerror(errno));
}

void EventLoop::remove(int fd) {
  if (handlers_.erase(fd) == 0) return;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

void EventLoop::run() {
  epoll_event events[32];
  while (running_) {
    int n = ::epoll_wait(epoll_.get(), events, 32, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(TENON_INTERNAL, std::string("epoll_wait: ") + std::strerror(errno));
    for (int i = 0; i < n && running_; ++i) {
      // A handler earlier in this batch may have removed this fd (and its
      // number may even be reused): look it up afresh, keep it alive while it runs.
      auto it = handlers_.find(events[i].data.fd);
      if (it == handlers_.end()) continue;
      std::shared_ptr<Handler> handler = it->second;
      (*handler)(events[i].events);
    }
  }
}

}  // namespace tenon::runtime_runc::shim
