// The shim's one event loop: epoll over the control socket, its
// connections, SIGCHLD (a signalfd) and the TTY copies. One thread, so the
// shim's state needs no locks, and a reaper that runs between requests never
// races the runtime commands a request waits for.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <tenon/unique_fd.hpp>

namespace tenon::runtime_runc::shim {

class EventLoop {
 public:
  // Called with the epoll events that fired on the fd.
  using Handler = std::function<void(uint32_t events)>;

  EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Watches `fd` for `events` (EPOLLIN...); the caller keeps the fd open until remove().
  void add(int fd, uint32_t events, Handler handler);
  void modify(int fd, uint32_t events);
  // Stops watching `fd`; safe from inside any handler, its own included.
  void remove(int fd);

  // Dispatches until stop().
  void run();
  void stop() { running_ = false; }

 private:
  UniqueFd epoll_;
  std::map<int, std::shared_ptr<Handler>> handlers_;
  bool running_ = true;
};

}  // namespace tenon::runtime_runc::shim
