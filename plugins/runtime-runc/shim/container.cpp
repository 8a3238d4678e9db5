#include "shim/container.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>
#include <tenon/error.hpp>

#include "common/files.hpp"
#include "shim/console_socket.hpp"
#include "shim/shim_log.hpp"

namespace tenon::runtime_runc::shim {

namespace stdfs = std::filesystem;

namespace {

constexpr std::chrono::seconds kConsoleTimeout{5};

std::string describe(const std::string& execId) { return execId.empty() ? "the init process" : "exec " + execId; }

}  // namespace

Container::Container(RuntimeCli runtime, BundleLayout bundle, stdfs::path consoleSocket, EventLoop& loop,
                     ExitListener onExit)
    : runtime_(std::move(runtime)),
      bundle_(std::move(bundle)),
      consoleSocket_(std::move(consoleSocket)),
      loop_(loop),
      onExit_(std::move(onExit)) {}

Container::Process& Container::find(const std::string& execId) {
  auto it = processes_.find(execId);
  if (it == processes_.end()) fail(TENON_NOT_FOUND, describe(execId) + " does not exist");
  return it->second;
}

const Container::Process& Container::find(const std::string& execId) const {
  return const_cast<Container*>(this)->find(execId);
}

Container::Process& Container::requireRunning(const std::string& execId, const char* action) {
  Process& p = find(execId);
  if (p.state.status == ProcessStatus::stopped)
    fail(TENON_NOT_FOUND, "cannot " + std::string(action) + " " + describe(execId) + ": it has already exited");
  return p;
}

template <class Launch>
void Container::launch(Process& process, Launch&& run) {
  std::unique_ptr<ConsoleSocket> console;
  if (process.stdio->terminal()) console = std::make_unique<ConsoleSocket>(consoleSocket_);
  run(process.stdio->childStdio(), console ? console->path().string() : std::string());
  process.stdio->released();
  if (console) process.stdio->attachTerminal(console->receiveMaster(kConsoleTimeout), loop_);
}

uint32_t Container::create(const ProcessIo& io) {
  if (processes_.count("")) fail(TENON_ALREADY_EXISTS, "the container was created already");
  makeDirectory(bundle_.processDir(""), 0700);
  Process init{ProcessState{}, std::make_unique<ProcessStdio>(io)};
  stdfs::path pidFile = bundle_.pidFile("");
  try {
    launch(init,
           [&](const ChildStdio& stdio, const std::string& console) { runtime_.create(pidFile, stdio, console); });
    init.state.pid = readPidFile(pidFile);
  } catch (...) {
    discard();
    throw;
  }
  return processes_.emplace("", std::move(init)).first->second.state.pid;
}

uint32_t Container::start(const std::string& execId) {
  Process& p = find(execId);
  if (p.state.status != ProcessStatus::created)
    fail(TENON_FAILED_PRECONDITION, describe(execId) + " is " + statusName(p.state.status) + ", not created");
  if (!execId.empty()) return startExec(p);
  runtime_.start();
  p.state.status = ProcessStatus::running;
  return p.state.pid;
}

uint32_t Container::startExec(Process& exec) {
  const Process& init = find("");
  if (init.state.status != ProcessStatus::running)
    fail(TENON_FAILED_PRECONDITION,
         "cannot start exec " + exec.state.execId + ": the task is " + statusName(init.state.status));
  const std::string& id = exec.state.execId;
  launch(exec, [&](const ChildStdio& stdio, const std::string& console) {
    runtime_.exec(bundle_.processSpec(id), bundle_.pidFile(id), stdio, console);
  });
  exec.state.pid = readPidFile(bundle_.pidFile(id));
  exec.state.status = ProcessStatus::running;
  return exec.state.pid;
}

void Container::kill(const std::string& execId, int signal, bool all) {
  Process& p = requireRunning(execId, "signal");
  if (execId.empty()) return runtime_.kill(signal, all);
  if (p.state.status == ProcessStatus::created)
    fail(TENON_FAILED_PRECONDITION, "cannot signal " + describe(execId) + ": it was not started");
  // Safe by pid: the process is our child until we reap it, so its pid cannot be reused.
  if (::kill(static_cast<pid_t>(p.state.pid), signal) != 0 && errno != ESRCH)
    fail(TENON_INTERNAL, "cannot signal " + describe(execId) + ": " + std::strerror(errno));
}

void Container::pause() {
  Process& init = find("");
  if (init.state.status != ProcessStatus::running)
    fail(TENON_FAILED_PRECONDITION, std::string("cannot pause a task that is ") + statusName(init.state.status));
  runtime_.pause();
  init.state.status = ProcessStatus::paused;
}

void Container::resume() {
  Process& init = find("");
  if (init.state.status != ProcessStatus::paused)
    fail(TENON_FAILED_PRECONDITION, std::string("cannot resume a task that is ") + statusName(init.state.status));
  runtime_.resume();
  init.state.status = ProcessStatus::running;
}

void Container::addExec(const std::string& execId, const json& process, const ProcessIo& io) {
  if (execId.empty()) fail(TENON_INVALID_ARGUMENT, "an exec needs an exec id");
  if (processes_.count(execId)) fail(TENON_ALREADY_EXISTS, "exec " + execId + " exists already");
  const Process& init = find("");
  if (init.state.status != ProcessStatus::running && init.state.status != ProcessStatus::created)
    fail(TENON_FAILED_PRECONDITION, "cannot add exec " + execId + ": the task is " + statusName(init.state.status));
  auto stdio = std::make_unique<ProcessStdio>(io);
  makeDirectory(bundle_.processDir(execId), 0700);
  writeFileAtomic(bundle_.processSpec(execId), process.dump(), 0600);
  ProcessState state;
  state.execId = execId;
  processes_.emplace(execId, Process{state, std::move(stdio)});
}

void Container::resize(const std::string& execId, uint16_t width, uint16_t height) {
  requireRunning(execId, "resize the terminal of").stdio->resize(width, height);
}

void Container::closeStdin(const std::string& execId) { find(execId).stdio->closeStdin(); }

ProcessState Container::state(const std::string& execId) const { return find(execId).state; }

std::vector<ProcessState> Container::processes() const {
  std::vector<ProcessState> out;
  for (const auto& [id, p] : processes_) out.push_back(p.state);
  return out;
}

std::vector<std::pair<uint32_t, std::string>> Container::pids() {
  const Process& init = find("");
  if (init.state.status == ProcessStatus::stopped) return {};
  std::vector<std::pair<uint32_t, std::string>> out;
  for (uint32_t pid : runtime_.ps()) {
    std::string execId;
    for (const auto& [id, p] : processes_)
      if (!id.empty() && p.state.pid == pid && p.state.status == ProcessStatus::running) execId = id;
    out.emplace_back(pid, execId);
  }
  return out;
}

bool Container::anyRunning() const {
  for (const auto& [id, p] : processes_)
    if (p.state.status == ProcessStatus::running || p.state.status == ProcessStatus::paused) return true;
  return false;
}

ProcessState Container::remove(const std::string& execId) {
  Process& p = find(execId);
  if (p.state.status == ProcessStatus::running || p.state.status == ProcessStatus::paused)
    fail(TENON_FAILED_PRECONDITION,
         "cannot delete " + describe(execId) + ": it is " + statusName(p.state.status) + "; kill it first");
  if (!execId.empty()) {
    ProcessState last = p.state;
    processes_.erase(execId);
    std::error_code ignored;
    stdfs::remove_all(bundle_.processDir(execId), ignored);
    return last;
  }
  // The execs died with the init (the kernel kills a pid namespace with its
  // init): report the exits already there before the shim goes.
  reapChildren();
  runtime_.remove(/*force=*/true);
  if (p.state.status != ProcessStatus::stopped) awaitInitExit();
  finished_ = true;
  return p.state;
}

void Container::discard() {
  try {
    runtime_.remove(/*force=*/true);
  } catch (const std::exception& e) {
    logMessage(std::string("after a failed create: ") + e.what());
  }
}

// A created init killed by `delete --force`: its exit is collected here, not
// left to the next SIGCHLD, so that delete can report it.
void Container::awaitInitExit() {
  Process& init = find("");
  pid_t pid = static_cast<pid_t>(init.state.pid);
  UniqueFd pidfd = openPidfd(pid);
  if (pidfd) {
    pollfd p{pidfd.get(), POLLIN, 0};
    while (::poll(&p, 1, 10'000) < 0 && errno == EINTR) {
    }
  }
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == pid) recordExit(init, status);
}

void Container::reapChildren() {
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    // Other children (the runtime's own helpers, orphans of the container
    // reparented to us as subreaper) are reaped and forgotten.
    for (auto& [id, p] : processes_) {
      if (p.state.pid == static_cast<uint32_t>(pid) && p.state.status != ProcessStatus::stopped) {
        recordExit(p, status);
        break;
      }
    }
  }
}

void Container::recordExit(Process& p, int waitStatus) {
  if (p.stdio) p.stdio->processExited();
  p.state.status = ProcessStatus::stopped;
  p.state.exitStatus = static_cast<uint32_t>(exitCodeOf(waitStatus));
  p.state.exitedAt = nowNanoseconds();
  try {
    writeFileAtomic(bundle_.exitFile(p.state.execId), json(p.state).dump());
  } catch (const std::exception& e) {
    logMessage(std::string("cannot keep the exit status: ") + e.what());
  }
  onExit_(p.state);
}

}  // namespace tenon::runtime_runc::shim
