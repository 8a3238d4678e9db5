// The per-process controls of RuncRuntime: start, signals, pause/resume,
// execs, the TTY, and the state queries. Each is a request to the task's
// shim; what it changes is recorded in the Task and published as an event.
#include <tenon/error.hpp>

#include "plugin/runc_runtime.hpp"
#include "plugin/task_names.hpp"

namespace tenon::runtime_runc {

namespace {

void validateExecId(const std::string& execId) {
  if (!execId.empty()) validateName("exec id", execId);
}

}  // namespace

TaskReport RuncRuntime::start(const std::string& ns, const std::string& id, const std::string& execId) {
  validateExecId(execId);
  std::shared_ptr<Task> task = find(ns, id);
  ProcessState before = task->process(execId);
  if (before.status != ProcessStatus::created)
    fail(TENON_FAILED_PRECONDITION, (execId.empty() ? "task " + task->name() : "exec " + execId) + " is " +
                                        statusName(before.status) + "; only a created one can be started");
  json answer = liveShim(*task, TENON_FAILED_PRECONDITION, "start").call({{"op", "start"}, {"exec_id", execId}});
  uint32_t pid = answer.value("pid", 0u);
  task->markStarted(execId, pid);
  if (execId.empty()) {
    events_.started(*task, pid);
  } else {
    events_.execStarted(*task, execId, pid);
  }
  return {ns, id, task->identity().cgroupPath, task->process(execId)};
}

void RuncRuntime::kill(const std::string& ns, const std::string& id, const std::string& execId, uint32_t signal,
                       bool all) {
  validateExecId(execId);
  if (signal == 0 || signal > 64) fail(TENON_INVALID_ARGUMENT, "signal " + std::to_string(signal) + " is not valid");
  std::shared_ptr<Task> task = find(ns, id);
  if (task->process(execId).status == ProcessStatus::stopped)
    fail(TENON_NOT_FOUND, "cannot signal task " + task->name() + (execId.empty() ? "" : " exec " + execId) +
                              ": the process has already exited");
  liveShim(*task, TENON_NOT_FOUND, "signal")
      .call({{"op", "kill"}, {"exec_id", execId}, {"signal", signal}, {"all", all}});
}

void RuncRuntime::pause(const std::string& ns, const std::string& id) {
  std::shared_ptr<Task> task = find(ns, id);
  liveShim(*task, TENON_FAILED_PRECONDITION, "pause").call({{"op", "pause"}});
  task->setInitStatus(ProcessStatus::paused);
  events_.paused(*task);
}

void RuncRuntime::resume(const std::string& ns, const std::string& id) {
  std::shared_ptr<Task> task = find(ns, id);
  liveShim(*task, TENON_FAILED_PRECONDITION, "resume").call({{"op", "resume"}});
  task->setInitStatus(ProcessStatus::running);
  events_.resumed(*task);
}

void RuncRuntime::exec(const std::string& ns, const std::string& id, const std::string& execId,
                       const std::string& processJson, const ProcessIo& io) {
  validateName("exec id", execId);
  json process = parseObject(processJson, "the exec's process");
  if (!process.contains("args") || !process["args"].is_array() || process["args"].empty())
    fail(TENON_INVALID_ARGUMENT, "the exec's process has no args");
  process["terminal"] = io.terminal;
  std::shared_ptr<Task> task = find(ns, id);
  liveShim(*task, TENON_FAILED_PRECONDITION, "add exec " + execId)
      .call({{"op", "exec"}, {"exec_id", execId}, {"process", process}, {"io", io}});
  ProcessState added;
  added.execId = execId;
  task->addProcess(added);
  events_.execAdded(*task, execId);
}

void RuncRuntime::resizePty(const std::string& ns, const std::string& id, const std::string& execId, uint32_t width,
                            uint32_t height) {
  validateExecId(execId);
  if (width > UINT16_MAX || height > UINT16_MAX)
    fail(TENON_INVALID_ARGUMENT,
         "a terminal of " + std::to_string(width) + "x" + std::to_string(height) + " is larger than a terminal can be");
  std::shared_ptr<Task> task = find(ns, id);
  liveShim(*task, TENON_FAILED_PRECONDITION, "resize the terminal")
      .call({{"op", "resize"}, {"exec_id", execId}, {"width", width}, {"height", height}});
}

void RuncRuntime::closeStdin(const std::string& ns, const std::string& id, const std::string& execId) {
  validateExecId(execId);
  std::shared_ptr<Task> task = find(ns, id);
  liveShim(*task, TENON_FAILED_PRECONDITION, "close stdin").call({{"op", "close-stdin"}, {"exec_id", execId}});
}

TaskReport RuncRuntime::wait(const std::string& ns, const std::string& id, const std::string& execId) {
  validateExecId(execId);
  std::shared_ptr<Task> task = find(ns, id);
  return {ns, id, task->identity().cgroupPath, task->waitForExit(execId)};
}

TaskReport RuncRuntime::state(const std::string& ns, const std::string& id, const std::string& execId) const {
  validateExecId(execId);
  std::shared_ptr<Task> task = find(ns, id);
  return {ns, id, task->identity().cgroupPath, task->process(execId)};
}

std::vector<std::pair<uint32_t, std::string>> RuncRuntime::pids(const std::string& ns, const std::string& id) {
  std::shared_ptr<Task> task = find(ns, id);
  if (!task->shimAlive()) return {};
  json answer = liveShim(*task, TENON_FAILED_PRECONDITION, "list processes").call({{"op", "pids"}});
  std::vector<std::pair<uint32_t, std::string>> out;
  for (const json& p : answer.at("processes")) {
    std::string execId = p.value("exec_id", "");
    out.emplace_back(p.value("pid", 0u), execId.empty() ? "" : json{{"exec_id", execId}}.dump());
  }
  return out;
}

}  // namespace tenon::runtime_runc
