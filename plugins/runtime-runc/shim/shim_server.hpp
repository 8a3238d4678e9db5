// The shim's side of the protocol (common/shim_protocol.hpp): accepts
// connections on the control socket, answers each request line, holds the
// `wait` requests and `events` subscriptions until exits come, and stops the
// loop once the container has been deleted or the shim told to shut down.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tenon/unique_fd.hpp>
#include <vector>

#include "common/line_socket.hpp"
#include "common/shim_protocol.hpp"
#include "shim/container.hpp"
#include "shim/event_loop.hpp"

namespace tenon::runtime_runc::shim {

class ShimServer {
 public:
  // Serves on `listener`, bound at `socketPath`.
  ShimServer(EventLoop& loop, UniqueFd listener, std::filesystem::path socketPath);
  ~ShimServer();
  ShimServer(const ShimServer&) = delete;
  ShimServer& operator=(const ShimServer&) = delete;

  // Must be called once, before the loop runs.
  void serve(Container& container) { container_ = &container; }
  // A process exited: tells every subscriber and answers its waiters.
  void onExit(const ProcessState& exit);

 private:
  struct Connection {
    UniqueFd fd;
    LineReader reader;
    bool subscribed = false;
    std::vector<std::string> waitingFor;  // exec ids of pending `wait`s
    explicit Connection(UniqueFd f) : fd(std::move(f)), reader(fd.get()) {}
  };

  void accept();
  void onReadable(int fd);
  void close(int fd);
  // The shim is done (its container deleted, or told to shut down): the
  // socket goes before the last answer, so that whoever reads that answer
  // finds the name free for a new task of the same id.
  void stopListening();
  // The answer to `request`; nullopt when it comes later (wait, events).
  std::optional<json> dispatch(Connection& conn, const json& request);
  std::optional<json> dispatchLifecycle(const std::string& op, const json& request);
  std::optional<json> dispatchProcess(Connection& conn, const std::string& op, const json& request);
  // False when the peer is gone (the connection is then closed).
  bool send(Connection& conn, const json& message);
  json stateAnswer() const;

  EventLoop& loop_;
  UniqueFd listener_;
  std::filesystem::path socketPath_;
  bool stopping_ = false;
  Container* container_ = nullptr;
  std::map<int, std::unique_ptr<Connection>> connections_;
};

}  // namespace tenon::runtime_runc::shim
