// The core's C++ view of a runtime service (a tenon_runtime_service table
// and its self, as a plugin registered them): values instead of sinks,
// tenon::Error (carrying the plugin's code and message) instead of statuses.
// A NULL function in the table is not_implemented. The view borrows the
// table: it must not outlive the plugin's fini. Copyable and cheap; every
// method may block (a runtime starts processes), so call it off the event loop.
//
// The lifecycle of a task, as the Tasks service drives it:
//   create  -> CREATED: the bundle exists, the root filesystem is mounted, the
//              runtime has created the container; its init process waits.
//   start   -> RUNNING (pid set). kill(signal) / kill(signal, all) signal it.
//   pause   -> PAUSED, resume -> RUNNING again.
//   exec + start(execId) run extra processes in a running task; each has its
//              own io, TTY, wait, state, close_stdin, resize_pty and remove.
//   the init exits -> STOPPED with exit_status and exited_at, and the runtime
//              publishes /tasks/exit (once); wait() returns then.
//   remove  -> the task is gone (unmounted, bundle deleted): only a STOPPED or
//              CREATED task may be removed; a running one is failed_precondition.
// Errors: an unknown task or exec is not_found; create of an existing id is
// already_exists; start of a started process, remove of a running one, or a
// spec the OCI runtime refuses is failed_precondition (with its message); a
// malformed request is invalid_argument. Tasks outlive a daemon restart:
// list() reports every one the runtime holds (after a restart as well).
#pragma once

#include <tenon/runtime.h>

#include <cstdint>
#include <string>
#include <tenon/mount.hpp>
#include <tenon/plugin.hpp>
#include <vector>

namespace tenon::tasks {

enum class TaskStatus {
  unknown = TENON_TASK_UNKNOWN,
  created = TENON_TASK_CREATED,
  running = TENON_TASK_RUNNING,
  stopped = TENON_TASK_STOPPED,
  paused = TENON_TASK_PAUSED,
  pausing = TENON_TASK_PAUSING,
};

// "created", "running"...: for messages and RPC enums.
const char* taskStatusName(TaskStatus status);

// Where a process's stdio goes: FIFO paths the client created ("" for none);
// with `terminal`, one pseudo-terminal whose output goes to stdoutPath.
struct TaskIo {
  std::string stdinPath;
  std::string stdoutPath;
  std::string stderrPath;
  bool terminal = false;
};

struct CreateTaskRequest {
  std::string ns;
  std::string id;             // the container id, unique within ns
  std::string specJson;       // the OCI runtime spec (config.json); the runtime sets root.path
  std::vector<Mount> rootfs;  // mounted in order as the container's root (a snapshotter's mounts)
  TaskIo io;
  std::string optionsJson;  // runtime-specific options, "" for none
};

// The state of a task's init process (execId "") or of one exec.
struct TaskState {
  std::string ns;
  std::string id;
  std::string execId;
  TaskStatus status = TaskStatus::unknown;
  uint32_t pid = 0;         // 0 before start
  uint32_t exitStatus = 0;  // valid when stopped; 128+N for a signal N, 255 when unknown
  tenon_time exitedAt = 0;  // 0 while it runs
  std::string cgroupPath;   // the container's cgroup (for metrics); "" when unknown
};

// One process of a task, from pids().
struct TaskProcess {
  uint32_t pid = 0;
  std::string infoJson;  // runtime-specific ("{\"exec_id\":...}" from runc), "" when none
};

class RuntimeTable {
 public:
  explicit RuntimeTable(ServiceRef<tenon_runtime_service> service) : service_(service) {}

  // Creates the task (mounts, bundle, runtime create) without starting it; its CREATED state.
  TaskState create(const CreateTaskRequest& request) const;
  // Starts the init process (execId "") or a created exec; its RUNNING state (pid).
  TaskState start(const std::string& ns, const std::string& id, const std::string& execId = "") const;
  // Sends `signal` to the process, or with `all` to every process of the task.
  void kill(const std::string& ns, const std::string& id, const std::string& execId, uint32_t signal,
            bool all = false) const;
  // Freezes every process of the task (PAUSED).
  void pause(const std::string& ns, const std::string& id) const;
  // Thaws a paused task (RUNNING).
  void resume(const std::string& ns, const std::string& id) const;
  // Adds exec `execId` running `processJson` (an OCI spec `process` object) with `io`;
  // start(ns, id, execId) runs it.
  void exec(const std::string& ns, const std::string& id, const std::string& execId, const std::string& processJson,
            const TaskIo& io) const;
  // Sets the window size of the process's TTY (failed_precondition without one).
  void resizePty(const std::string& ns, const std::string& id, const std::string& execId, uint32_t width,
                 uint32_t height) const;
  // Closes the runtime's write side of the process's stdin: it reads EOF once the client closes too.
  void closeStdin(const std::string& ns, const std::string& id, const std::string& execId = "") const;
  // Blocks until the process has exited; its final (STOPPED) state.
  TaskState wait(const std::string& ns, const std::string& id, const std::string& execId = "") const;
  // The current state of the process.
  TaskState state(const std::string& ns, const std::string& id, const std::string& execId = "") const;
  // Every process in the task.
  std::vector<TaskProcess> pids(const std::string& ns, const std::string& id) const;
  // Deletes a stopped (or never started) task or exec; its final state, exit status included.
  TaskState remove(const std::string& ns, const std::string& id, const std::string& execId = "") const;
  // Every task the runtime holds (their init processes), e.g. after a daemon restart.
  std::vector<TaskState> list() const;

 private:
  ServiceRef<tenon_runtime_service> service_;
};

}  // namespace tenon::tasks
