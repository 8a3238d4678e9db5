#include "plugin/task.hpp"

#include <system_error>

#include "common/files.hpp"

namespace tenon::runtime_runc {

namespace {

std::string describe(const std::string& execId) { return execId.empty() ? "the init process" : "exec " + execId; }

}  // namespace

void to_json(json& j, const TaskIdentity& t) {
  j = json{{"namespace", t.ns},
           {"id", t.id},
           {"cgroup_path", t.cgroupPath},
           {"socket", t.socket.string()},
           {"runtime_root", t.runtimeRoot.string()}};
}

void from_json(const json& j, TaskIdentity& t) {
  t.ns = j.at("namespace").get<std::string>();
  t.id = j.at("id").get<std::string>();
  t.cgroupPath = j.value("cgroup_path", "");
  t.socket = j.at("socket").get<std::string>();
  t.runtimeRoot = j.at("runtime_root").get<std::string>();
}

void Task::setProcesses(const std::vector<ProcessState>& processes) {
  std::lock_guard lock(mutex_);
  std::map<std::string, Record> next;
  for (const ProcessState& p : processes) {
    auto old = records_.find(p.execId);
    // An exit already seen stays: the shim may have been asked before it.
    if (old != records_.end() && old->second.state.status == ProcessStatus::stopped) {
      next[p.execId] = old->second;
      continue;
    }
    next[p.execId] = Record{p, old != records_.end() && old->second.exitPublished};
  }
  records_ = std::move(next);
  changed_.notify_all();
}

void Task::addProcess(const ProcessState& process) {
  std::lock_guard lock(mutex_);
  records_[process.execId] = Record{process, false};
}

void Task::markStarted(const std::string& execId, uint32_t pid) {
  std::lock_guard lock(mutex_);
  auto it = records_.find(execId);
  if (it == records_.end()) return;
  it->second.state.pid = pid;
  if (it->second.state.status == ProcessStatus::created) it->second.state.status = ProcessStatus::running;
}

void Task::setInitStatus(ProcessStatus status) {
  std::lock_guard lock(mutex_);
  auto it = records_.find("");
  if (it != records_.end() && it->second.state.status != ProcessStatus::stopped) it->second.state.status = status;
}

void Task::forget(const std::string& execId) {
  std::lock_guard lock(mutex_);
  records_.erase(execId);
  changed_.notify_all();
}

const Task::Record& Task::find(const std::string& execId) const {
  auto it = records_.find(execId);
  if (it == records_.end()) fail(TENON_NOT_FOUND, describe(execId) + " of task " + name() + " does not exist");
  return it->second;
}

ProcessState Task::process(const std::string& execId) const {
  std::lock_guard lock(mutex_);
  return find(execId).state;
}

std::vector<ProcessState> Task::processes() const {
  std::lock_guard lock(mutex_);
  std::vector<ProcessState> out;
  for (const auto& [id, r] : records_) out.push_back(r.state);
  return out;
}

bool Task::recordExit(const ProcessState& exit, const ExitPublisher& publish) {
  std::lock_guard order(exitOrder_);
  {
    std::lock_guard lock(mutex_);
    auto it = records_.find(exit.execId);
    if (it == records_.end()) return false;
    const ProcessState& known = it->second.state;
    // A late report about an earlier exec of the same id is not about this one.
    if (known.status == ProcessStatus::stopped || (known.pid != 0 && exit.pid != 0 && known.pid != exit.pid))
      return false;
  }
  ProcessState stopped = exit;
  stopped.status = ProcessStatus::stopped;
  {
    // Stopped before the event goes out: whoever the event wakes reads the
    // final state at once. Events stay in order through exitOrder_, which
    // the task's /tasks/delete also waits for (afterExitEvents).
    std::lock_guard lock(mutex_);
    auto it = records_.find(exit.execId);
    if (it != records_.end()) it->second.state = stopped;
    changed_.notify_all();
  }
  publishOnce(stopped, publish);
  return true;
}

void Task::afterExitEvents(const std::function<void()>& fn) {
  std::lock_guard order(exitOrder_);
  fn();
}

void Task::publishPendingExits(const ExitPublisher& publish) {
  std::lock_guard order(exitOrder_);
  for (const ProcessState& p : processes())
    if (p.status == ProcessStatus::stopped) publishOnce(p, publish);
}

void Task::publishOnce(const ProcessState& exit, const ExitPublisher& publish) {
  {
    std::lock_guard lock(mutex_);
    auto it = records_.find(exit.execId);
    if (it == records_.end() || it->second.exitPublished) return;
    it->second.exitPublished = true;
  }
  std::error_code ec;
  if (std::filesystem::exists(bundle_.exitPublishedFile(exit.execId), ec)) return;
  publish(exit);
  if (!std::filesystem::is_directory(bundle_.processDir(exit.execId), ec)) return;  // deleted meanwhile
  try {
    writeFileAtomic(bundle_.exitPublishedFile(exit.execId), "", 0600);
  } catch (const std::exception&) {
    // At worst the event goes out once more after a restart.
  }
}

std::vector<ProcessState> Task::exitsWithoutShim() const {
  std::vector<ProcessState> exits;
  for (ProcessState s : processes()) {
    if (s.status == ProcessStatus::stopped) continue;
    s.exitStatus = 255;  // containerd's answer for an exit no one saw
    s.exitedAt = nowNanoseconds();
    if (auto text = readFileIfExists(bundle_.exitFile(s.execId))) {
      json saved = json::parse(*text, nullptr, false);
      if (saved.is_object()) {
        s.exitStatus = saved.value("exit_status", 255u);
        s.exitedAt = saved.value("exited_at", s.exitedAt);
      }
    }
    exits.push_back(s);
  }
  return exits;
}

void Task::markShimGone() {
  std::lock_guard lock(mutex_);
  shimAlive_ = false;
  changed_.notify_all();
}

bool Task::shimAlive() const {
  std::lock_guard lock(mutex_);
  return shimAlive_;
}

ProcessState Task::waitForExit(const std::string& execId) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (closed_) throw *closed_;
    const Record& r = find(execId);
    if (r.state.status == ProcessStatus::stopped) return r.state;
    changed_.wait(lock);
  }
}

void Task::close(tenon_status code, const std::string& reason) {
  std::lock_guard lock(mutex_);
  closed_ = Error(code, reason);
  changed_.notify_all();
}

void Task::beginRemoval() {
  std::lock_guard lock(mutex_);
  if (removing_) fail(TENON_FAILED_PRECONDITION, "task " + name() + " is being deleted already");
  removing_ = true;
}

void Task::cancelRemoval() {
  std::lock_guard lock(mutex_);
  removing_ = false;
}

bool Task::removing() const {
  std::lock_guard lock(mutex_);
  return removing_;
}

}  // namespace tenon::runtime_runc
