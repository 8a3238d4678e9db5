#include "attached_task.hpp"

#include <signal.h>
#include <unistd.h>

#include <optional>

#include "stdio/fifo_set.hpp"
#include "stdio/raw_terminal.hpp"
#include "stdio/stdio_pumps.hpp"

namespace tenon::ctr {

namespace {

// containerd's ctr forwards every signal but those about its own job control and pipes.
// (SIGUSR1 is not among them: KJ's event port reserves it for waking its loop.)
constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR2};

// How long output may keep flowing after the process exited (a child it left
// behind may hold the FIFO open).
constexpr int kDrainMillis = 2000;

template <class Request>
void address(Connection& connection, Request& request, const ProcessRef& process) {
  connection.setContext(request.initCtx());
  request.setContainerId(process.containerId);
  request.setExecId(process.execId);
}

kj::Promise<void> forwardSignal(Connection& connection, rpc::Tasks::Client tasks, ProcessRef process, int signal) {
  return connection.eventPort().onSignal(signal).then([&connection, tasks, process, signal](siginfo_t) mutable {
    auto request = tasks.killRequest();
    address(connection, request, process);
    request.setSignal(static_cast<uint32_t>(signal));
    return request.send().ignoreResult().catch_([](kj::Exception&&) {}).then(
        [&connection, tasks, process, signal]() mutable { return forwardSignal(connection, tasks, process, signal); });
  });
}

void resize(Connection& connection, rpc::Tasks::Client& tasks, const ProcessRef& process, bool wait) {
  auto size = windowSize(STDIN_FILENO);
  if (!size) return;
  auto request = tasks.resizePtyRequest();
  address(connection, request, process);
  request.setWidth(size->width);
  request.setHeight(size->height);
  auto sent = request.send().ignoreResult();
  if (wait) connection.wait(kj::mv(sent));
  else sent.detach([](kj::Exception&&) {});
}

kj::Promise<void> followWindowSize(Connection& connection, rpc::Tasks::Client tasks, ProcessRef process) {
  return connection.eventPort().onSignal(SIGWINCH).then([&connection, tasks, process](siginfo_t) mutable {
    resize(connection, tasks, process, false);
    return followWindowSize(connection, tasks, process);
  });
}

// Asked from the stdin pump's thread, on a connection of its own (one event loop per thread).
void closeStdin(const GlobalOptions& options, const ProcessRef& process) {
  try {
    Connection connection(options);
    auto request = tasksService(connection).closeStdinRequest();
    address(connection, request, process);
    connection.wait(request.send());
  } catch (...) {
    // The process is gone already: nothing left to close.
  }
}

uint32_t waitForwarding(Connection& connection, rpc::Tasks::Client& tasks, const ProcessRef& process, bool tty) {
  kj::Vector<kj::Promise<void>> forwarding;
  for (int signal : kForwarded) forwarding.add(forwardSignal(connection, tasks, process, signal));
  if (tty) forwarding.add(followWindowSize(connection, tasks, process));
  auto running = kj::joinPromises(forwarding.releaseAsArray()).eagerlyEvaluate(nullptr);
  auto request = tasks.waitRequest();
  address(connection, request, process);
  return connection.wait(request.send()).getTask().getExitStatus();
}

void start(Connection& connection, rpc::Tasks::Client& tasks, const ProcessRef& process) {
  auto request = tasks.startRequest();
  address(connection, request, process);
  connection.wait(request.send());
}

}  // namespace

void captureForwardedSignals() {
  for (int signal : kForwarded) kj::UnixEventPort::captureSignal(signal);
  kj::UnixEventPort::captureSignal(SIGWINCH);
}

uint32_t runAttached(Connection& connection, const GlobalOptions& options, const ProcessRef& process, bool tty,
                     bool detach, const std::function<void(rpc::Io::Builder)>& create) {
  rpc::Tasks::Client tasks = tasksService(connection);
  capnp::MallocMessageBuilder message;
  auto io = message.initRoot<rpc::Io>();
  if (detach) {  // no stdio at all, like containerd's null IO
    create(io);
    start(connection, tasks, process);
    return 0;
  }
  FifoSet fifos(tty);
  io.setStdin(fifos.stdinPath());
  io.setStdout(fifos.stdoutPath());
  io.setStderr(fifos.stderrPath());
  io.setTerminal(tty);
  create(io);
  StdioPumps pumps(fifos, true, [&options, process] { closeStdin(options, process); });
  std::optional<RawTerminal> raw;
  if (tty) {
    raw.emplace(STDIN_FILENO);
    resize(connection, tasks, process, true);
  }
  start(connection, tasks, process);
  uint32_t status = waitForwarding(connection, tasks, process, tty);
  pumps.finish(kDrainMillis);
  return status;
}

void killProcess(Connection& connection, const ProcessRef& process, uint32_t signal, bool all) {
  auto request = tasksService(connection).killRequest();
  address(connection, request, process);
  request.setSignal(signal);
  request.setAll(all);
  connection.wait(request.send());
}

}  // namespace tenon::ctr
