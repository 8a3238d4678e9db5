// What the plugin knows of one task: who it is, where its bundle and shim
// are, and the last known state of its processes (the init, "" here, and
// its execs). The shim is the authority; this is kept current by the
// answers to requests and by the exits the shim streams (exit_monitor.hpp),
// so that `wait` and `state` need no round trip. Thread-safe.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/bundle_layout.hpp"
#include "common/shim_protocol.hpp"

namespace tenon::runtime_runc {

// Who a task is; kept in <bundle>/task.json so that a restarted plugin finds it again.
struct TaskIdentity {
  std::string ns;
  std::string id;
  std::string cgroupPath;             // the spec's linux.cgroupsPath
  std::filesystem::path socket;       // the shim's control socket
  std::filesystem::path runtimeRoot;  // the runtime's --root for this task
};

void to_json(json& j, const TaskIdentity& t);
void from_json(const json& j, TaskIdentity& t);

class Task {
 public:
  Task(TaskIdentity identity, BundleLayout bundle) : identity_(std::move(identity)), bundle_(std::move(bundle)) {}
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  const TaskIdentity& identity() const { return identity_; }
  const BundleLayout& bundle() const { return bundle_; }
  // "<ns>/<id>", for messages.
  std::string name() const { return identity_.ns + "/" + identity_.id; }

  // Replaces what is known with the shim's own account (after create, or a restart).
  void setProcesses(const std::vector<ProcessState>& processes);
  void addProcess(const ProcessState& process);
  // A created process was started: running with `pid`, unless its exit came first.
  void markStarted(const std::string& execId, uint32_t pid);
  // The init was paused or resumed.
  void setInitStatus(ProcessStatus status);
  // A deleted exec: its waiters get not_found.
  void forget(const std::string& execId);

  // The last known state of a process; not_found naming it.
  ProcessState process(const std::string& execId) const;
  std::vector<ProcessState> processes() const;

  using ExitPublisher = std::function<void(const ProcessState& exit)>;

  // Records an exit the shim reported, when it is news (a known process, the
  // same pid, not stopped yet): publishes it first, unless that was done
  // before (in this run, or in an earlier one: a marker in the bundle), and
  // only then lets process() and waitForExit() see it, so that whoever sees
  // the exit can count on /tasks/exit being out. False when it was no news.
  bool recordExit(const ProcessState& exit, const ExitPublisher& publish);
  // Publishes the exits of processes already stopped that have not gone out
  // (found so at a restart).
  void publishPendingExits(const ExitPublisher& publish);
  // The exits of the processes still alive, for when their shim is gone:
  // the status the shim wrote to the bundle if it did, else 255.
  std::vector<ProcessState> exitsWithoutShim() const;
  // The shim is gone: no request can reach it any more.
  void markShimGone();
  bool shimAlive() const;

  // Blocks until the process has exited; its final state. Throws not_found
  // if it is deleted meanwhile, or `closed()`'s error.
  ProcessState waitForExit(const std::string& execId);
  // Wakes every waiter with `reason` (the task was deleted, the plugin stops).
  void close(tenon_status code, const std::string& reason);

  // Runs `fn` once no exit report is being published, so that what `fn`
  // publishes (/tasks/delete) follows the /tasks/exit it depends on.
  void afterExitEvents(const std::function<void()>& fn);

  // Marks the task as being deleted; failed_precondition when it already is.
  void beginRemoval();
  void cancelRemoval();
  bool removing() const;

 private:
  struct Record {
    ProcessState state;
    bool exitPublished = false;
  };
  const Record& find(const std::string& execId) const;
  // Publishes `exit` unless it went out before; call with exitOrder_ held.
  void publishOnce(const ProcessState& exit, const ExitPublisher& publish);

  const TaskIdentity identity_;
  const BundleLayout bundle_;
  std::mutex exitOrder_;      // one exit report at a time: record, then publish
  mutable std::mutex mutex_;  // the state below
  std::condition_variable changed_;
  std::map<std::string, Record> records_;
  bool shimAlive_ = true;
  bool removing_ = false;
  std::optional<Error> closed_;
};

}  // namespace tenon::runtime_runc
