// One container as its shim runs it: the init process and the execs, each
// with its stdio, driven through the OCI runtime's command line. The shim is
// the child subreaper, so every process of the container ends up its child:
// reapChildren() collects their exits, writes each one atomically to the
// bundle (so that it survives the shim and the daemon) and reports it.
// Single-threaded, called from the shim's event loop only.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/bundle_layout.hpp"
#include "common/runtime_cli.hpp"
#include "common/shim_protocol.hpp"
#include "shim/event_loop.hpp"
#include "shim/process_stdio.hpp"

namespace tenon::runtime_runc::shim {

class Container {
 public:
  using ExitListener = std::function<void(const ProcessState&)>;

  // `consoleSocket`: where a pty master is received, one at a time.
  Container(RuntimeCli runtime, BundleLayout bundle, std::filesystem::path consoleSocket, EventLoop& loop,
            ExitListener onExit);

  // Runtime `create` with `io`: the init process exists, waiting for start; its pid.
  uint32_t create(const ProcessIo& io);
  // Starts the init (runtime `start`) or a created exec (runtime `exec`); its pid.
  uint32_t start(const std::string& execId);
  void kill(const std::string& execId, int signal, bool all);
  void pause();
  void resume();
  // Records exec `execId` running `process` (an OCI process object) with `io`.
  void addExec(const std::string& execId, const json& process, const ProcessIo& io);
  void resize(const std::string& execId, uint16_t width, uint16_t height);
  void closeStdin(const std::string& execId);

  ProcessState state(const std::string& execId) const;
  std::vector<ProcessState> processes() const;
  // Each pid in the container, with the exec it belongs to ("" for others).
  std::vector<std::pair<uint32_t, std::string>> pids();
  // Deletes a stopped (or never started) process; for the init, runtime
  // `delete` too, after which the container is finished. Its final state.
  ProcessState remove(const std::string& execId);
  // Runtime `delete --force` of a container whose create failed half-way.
  void discard();

  bool finished() const { return finished_; }
  bool anyRunning() const;
  // Collects every exited child (on SIGCHLD) and reports the container's own.
  void reapChildren();

 private:
  struct Process {
    ProcessState state;
    std::unique_ptr<ProcessStdio> stdio;
  };

  Process& find(const std::string& execId);
  const Process& find(const std::string& execId) const;
  Process& requireRunning(const std::string& execId, const char* action);
  uint32_t startExec(Process& exec);
  // Runs `launch` (runtime create/exec) with the process's stdio, receiving
  // its pty master when it has a TTY.
  template <class Launch>
  void launch(Process& process, Launch&& run);
  void recordExit(Process& process, int waitStatus);
  void awaitInitExit();

  RuntimeCli runtime_;
  BundleLayout bundle_;
  std::filesystem::path consoleSocket_;
  EventLoop& loop_;
  ExitListener onExit_;
  std::map<std::string, Process> processes_;  // "" is the init
  bool finished_ = false;
};

}  // namespace tenon::runtime_runc::shim
