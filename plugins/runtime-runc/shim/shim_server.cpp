#include "shim/shim_server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "shim/shim_log.hpp"

namespace tenon::runtime_runc::shim {

namespace {

std::string execIdOf(const json& request) { return request.value("exec_id", ""); }

ProcessIo ioOf(const json& request) { return request.contains("io") ? request["io"].get<ProcessIo>() : ProcessIo{}; }

json eventOf(const ProcessState& exit) {
  json event = exit;
  event["event"] = "exit";
  return event;
}

}  // namespace

ShimServer::ShimServer(EventLoop& loop, UniqueFd listener, std::filesystem::path socketPath)
    : loop_(loop), listener_(std::move(listener)), socketPath_(std::move(socketPath)) {
  loop_.add(listener_.get(), EPOLLIN, [this](uint32_t) { accept(); });
}

ShimServer::~ShimServer() {
  while (!connections_.empty()) close(connections_.begin()->first);
  stopListening();
}

void ShimServer::stopListening() {
  if (!listener_) return;
  loop_.remove(listener_.get());
  listener_.reset();
  ::unlink(socketPath_.c_str());
}

void ShimServer::accept() {
  UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!fd) return;
  // A peer that stops reading must not stall the shim (and every container
  // process waiting on it) for more than a moment.
  timeval timeout{2, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  int raw = fd.get();
  connections_[raw] = std::make_unique<Connection>(std::move(fd));
  loop_.add(raw, EPOLLIN, [this, raw](uint32_t) { onReadable(raw); });
}

void ShimServer::close(int fd) {
  loop_.remove(fd);
  connections_.erase(fd);
}

bool ShimServer::send(Connection& conn, const json& message) {
  try {
    sendLine(conn.fd.get(), message.dump());
    return true;
  } catch (const std::exception&) {
    close(conn.fd.get());
    return false;
  }
}

void ShimServer::onReadable(int fd) {
  bool open = connections_.at(fd)->reader.fill();
  for (;;) {
    // Looked up afresh each time: a request may end in an exit report that
    // closes connections whose peer is gone, this one included.
    auto it = connections_.find(fd);
    if (it == connections_.end()) return;
    Connection& conn = *it->second;
    std::optional<std::string> line;
    try {
      line = conn.reader.nextLine();
    } catch (const Error& e) {  // an over-long line: the peer is broken
      logMessage(e.what());
      open = false;
    }
    if (!line) break;
    std::optional<json> answer;
    try {
      answer = dispatch(conn, parseObject(*line, "the request"));
    } catch (const Error& e) {
      answer = errorAnswer(e);
    } catch (const std::exception& e) {
      answer = errorAnswer(Error(TENON_INTERNAL, e.what()));
    }
    if (container_->finished() || stopping_) {
      stopListening();
      loop_.stop();
    }
    if (answer && connections_.count(fd) && !send(conn, *answer)) return;
  }
  if (!open) close(fd);
}

std::optional<json> ShimServer::dispatch(Connection& conn, const json& request) {
  std::string op = request.value("op", "");
  if (auto answer = dispatchLifecycle(op, request)) return answer;
  return dispatchProcess(conn, op, request);
}

std::optional<json> ShimServer::dispatchLifecycle(const std::string& op, const json& request) {
  Container& c = *container_;
  if (op == "create") return okAnswer({{"pid", c.create(ioOf(request))}});
  if (op == "start") return okAnswer({{"pid", c.start(execIdOf(request))}});
  if (op == "kill") {
    c.kill(execIdOf(request), request.value("signal", 15), request.value("all", false));
    return okAnswer();
  }
  if (op == "pause") {
    c.pause();
    return okAnswer();
  }
  if (op == "resume") {
    c.resume();
    return okAnswer();
  }
  if (op == "exec") {
    if (!request.contains("process") || !request["process"].is_object())
      fail(TENON_INVALID_ARGUMENT, "exec needs a process object");
    c.addExec(execIdOf(request), request["process"], ioOf(request));
    return okAnswer();
  }
  if (op == "delete") return okAnswer(c.remove(execIdOf(request)));
  if (op == "shutdown") {
    if (c.anyRunning()) fail(TENON_FAILED_PRECONDITION, "the shim still runs processes; kill them first");
    c.discard();
    stopping_ = true;
    return okAnswer();
  }
  return std::nullopt;
}

std::optional<json> ShimServer::dispatchProcess(Connection& conn, const std::string& op, const json& request) {
  Container& c = *container_;
  if (op == "resize") {
    c.resize(execIdOf(request), request.value("width", uint16_t{0}), request.value("height", uint16_t{0}));
    return okAnswer();
  }
  if (op == "close-stdin") {
    c.closeStdin(execIdOf(request));
    return okAnswer();
  }
  if (op == "state") return stateAnswer();
  if (op == "pids") {
    json list = json::array();
    for (const auto& [pid, execId] : c.pids()) list.push_back({{"pid", pid}, {"exec_id", execId}});
    return okAnswer({{"processes", list}});
  }
  if (op == "wait") {
    ProcessState s = c.state(execIdOf(request));
    if (s.status == ProcessStatus::stopped) return okAnswer(s);
    conn.waitingFor.push_back(s.execId);
    return std::nullopt;
  }
  if (op == "events") {
    conn.subscribed = true;
    for (const ProcessState& s : c.processes())
      if (s.status == ProcessStatus::stopped && !send(conn, eventOf(s))) return std::nullopt;
    return std::nullopt;
  }
  fail(TENON_INVALID_ARGUMENT, "unknown request op \"" + op + "\"");
}

json ShimServer::stateAnswer() const {
  json processes = json::array();
  for (const ProcessState& s : container_->processes()) processes.push_back(s);
  return okAnswer({{"shim_pid", ::getpid()}, {"processes", processes}});
}

void ShimServer::onExit(const ProcessState& exit) {
  std::vector<int> fds;
  for (const auto& [fd, conn] : connections_) fds.push_back(fd);
  for (int fd : fds) {
    auto it = connections_.find(fd);
    if (it == connections_.end()) continue;
    Connection& conn = *it->second;
    if (conn.subscribed && !send(conn, eventOf(exit))) continue;
    auto& waits = conn.waitingFor;
    if (std::find(waits.begin(), waits.end(), exit.execId) == waits.end()) continue;
    waits.erase(std::remove(waits.begin(), waits.end(), exit.execId), waits.end());
    send(conn, okAnswer(exit));
  }
}

}  // namespace tenon::runtime_runc::shim
