// A task's process attached to ctr, as containerd's `ctr run` and
// `ctr tasks start|exec` attach it: stdio through FIFOs the shim opens, ctr's
// terminal in raw mode for a TTY (its window size followed), signals ctr
// receives forwarded to the process, and ctr's exit code the process's.
#pragma once

#include <functional>
#include <string>

#include "connection.hpp"
#include "tasks.capnp.h"

namespace tenon::ctr {

struct ProcessRef {
  std::string containerId;
  std::string execId;  // "" for the task's init process
};

inline rpc::Tasks::Client tasksService(Connection& connection) {
  return connection.tenon().tasksRequest().send().getService();
}

// Captures the signals ctr forwards (and SIGWINCH). Call before any thread starts.
void captureForwardedSignals();

// Runs a process with ctr's stdio attached: `create` gets the Io to create it
// with (FIFO paths, or none when `detach`), then ctr starts it, and unless
// detached waits for it while forwarding signals and window sizes. Returns
// its exit status (0 when detached). `options` opens the extra connection
// that closes the process's stdin when ctr's ends.
uint32_t runAttached(Connection& connection, const GlobalOptions& options, const ProcessRef& process, bool tty,
                     bool detach, const std::function<void(rpc::Io::Builder)>& create);

// Sends `signal` to the process (to every process of the task with `all`).
void killProcess(Connection& connection, const ProcessRef& process, uint32_t signal, bool all);

}  // namespace tenon::ctr
