// Creating, deleting and listing tasks, and what happens when their
// processes exit or their shims die. The per-process controls are in
// runc_runtime_control.cpp.
#include "plugin/runc_runtime.hpp"

#include <cstdio>
#include <tenon/error.hpp>
#include <tenon/mounter.hpp>

#include "common/files.hpp"
#include "common/line_socket.hpp"
#include "common/runtime_cli.hpp"
#include "plugin/task_bundle.hpp"
#include "plugin/task_names.hpp"
#include "plugin/task_recovery.hpp"

namespace tenon::runtime_runc {

namespace stdfs = std::filesystem;

RuncRuntime::RuncRuntime(Host host, RuntimeConfig config)
    : host_(host),
      config_(std::move(config)),
      state_(host.state()),
      events_(host),
      monitor_([this](const std::shared_ptr<Task>& t, const ProcessState& exit) { onExit(t, exit); },
               [this](const std::shared_ptr<Task>& t) { onShimGone(t); }) {
  makeDirectory(state_ / "tasks", 0711);
  makeDirectory(state_ / "s", 0700);
  makeDirectory(config_.root, 0700);
  recover();
}

RuncRuntime::~RuncRuntime() {
  std::lock_guard lock(mutex_);
  for (const auto& [key, task] : tasks_) task->close(TENON_UNAVAILABLE, "the runc runtime is stopping");
}

stdfs::path RuncRuntime::bundleDir(const std::string& ns, const std::string& id) const {
  return state_ / "tasks" / ns / id;
}

stdfs::path RuncRuntime::socketPath(const std::string& ns, const std::string& id) const {
  return state_ / "s" / socketName(ns, id);
}

std::shared_ptr<Task> RuncRuntime::find(const std::string& ns, const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = tasks_.find(taskKey(ns, id));
  if (it == tasks_.end()) fail(TENON_NOT_FOUND, "task " + taskKey(ns, id) + " does not exist");
  return it->second;
}

ShimClient RuncRuntime::liveShim(const Task& task, tenon_status code, const std::string& action) const {
  if (!task.shimAlive()) fail(code, "cannot " + action + ": task " + task.name() + " has stopped (its shim is gone)");
  return ShimClient(task.identity().socket, task.name());
}

TaskReport RuncRuntime::create(const TaskCreate& request) {
  validateName("namespace", request.ns);
  validateName("task id", request.id);
  json spec = parseSpec(request.specJson);
  if (!request.optionsJson.empty()) parseObject(request.optionsJson, "the runtime options");
  std::string key = taskKey(request.ns, request.id);
  {
    std::lock_guard lock(mutex_);
    if (tasks_.count(key) || !creating_.insert(key).second)
      fail(TENON_ALREADY_EXISTS, "task " + key + " exists already");
  }
  struct Release {
    RuncRuntime& runtime;
    std::string key;
    ~Release() {
      std::lock_guard lock(runtime.mutex_);
      runtime.creating_.erase(key);
    }
  } release{*this, key};
  std::shared_ptr<Task> task = launch(request, std::move(spec));
  ProcessState init = task->process("");
  events_.created(*task, request.rootfs, request.io, init.pid);
  adopt(task, UniqueFd());
  try {
    monitor_.watch(task, ShimClient(task->identity().socket, key).subscribe());
  } catch (const std::exception&) {
    onShimGone(task);  // it died at once: the task is there, and stopped
  }
  return {request.ns, request.id, task->identity().cgroupPath, init};
}

// Bundle, rootfs, spec, shim, runtime `create`: each undone, in reverse, by
// its own guard if a later step fails, so nothing is left half-created.
std::shared_ptr<Task> RuncRuntime::launch(const TaskCreate& request, json spec) {
  BundleLayout bundle{bundleDir(request.ns, request.id)};
  TaskIdentity identity{request.ns, request.id, settleCgroupPath(spec, request.ns, request.id),
                        socketPath(request.ns, request.id), config_.root / request.ns};
  NewBundle newBundle(bundle);
  ScopedMounts rootfs(request.rootfs, bundle.rootfs());
  writeFileAtomic(bundle.config(), runtimeSpec(std::move(spec), bundle.rootfs(), request.io.terminal), 0600);
  writeFileAtomic(bundle.taskFile(), json(identity).dump(), 0600);
  requireFreeSocket(identity.socket);
  StartedShim shim(
      {config_.shim, config_.binary, identity.runtimeRoot, config_.runtimeArgs, request.id, bundle, identity.socket});
  json answer =
      ShimClient(identity.socket, taskKey(request.ns, request.id)).call({{"op", "create"}, {"io", request.io}});
  ProcessState init;
  init.pid = answer.value("pid", 0u);
  shim.keep();
  rootfs.release();
  newBundle.keep();
  auto task = std::make_shared<Task>(std::move(identity), std::move(bundle));
  task->setProcesses({init});
  return task;
}

// A live socket at the name means another task's shim: never take it over.
void RuncRuntime::requireFreeSocket(const stdfs::path& socket) const {
  try {
    connectUnix(socket);
  } catch (const Error&) {
    return;
  }
  fail(TENON_ALREADY_EXISTS, "the shim socket " + socket.string() + " is in use by another task");
}

void RuncRuntime::adopt(const std::shared_ptr<Task>& task, UniqueFd events) {
  {
    std::lock_guard lock(mutex_);
    tasks_[task->name()] = task;
  }
  // Subscribing replays the exits that came before: none is missed.
  if (events) monitor_.watch(task, std::move(events));
}

void RuncRuntime::recover() {
  std::vector<RecoveredTask> found = recoverTasks(state_ / "tasks", host_);
  for (RecoveredTask& r : found) {
    bool alive = static_cast<bool>(r.events);
    adopt(r.task, std::move(r.events));
    // Before the service is offered, so that no one sees an exit not yet published.
    if (alive) {
      r.task->publishPendingExits(exitPublisher(r.task));
    } else {
      stopWithoutShim(r.task);
    }
  }
  if (!found.empty()) host_.info("recovered " + std::to_string(found.size()) + " task(s)");
}

TaskReport RuncRuntime::remove(const std::string& ns, const std::string& id, const std::string& execId) {
  std::shared_ptr<Task> task = find(ns, id);
  if (!execId.empty()) return removeExec(task, execId);
  task->beginRemoval();
  ProcessState last;
  try {
    last = deleteInit(task);
    monitor_.unwatch(*task);
    removeBundle(task->bundle());
  } catch (...) {
    task->cancelRemoval();
    throw;
  }
  {
    std::lock_guard lock(mutex_);
    tasks_.erase(task->name());
  }
  task->close(TENON_NOT_FOUND, "task " + task->name() + " was deleted");
  task->afterExitEvents([&] { events_.deleted(*task, last); });
  return {ns, id, task->identity().cgroupPath, last};
}

// The init's final state, once the runtime has forgotten the container.
ProcessState RuncRuntime::deleteInit(const std::shared_ptr<Task>& task) {
  if (task->shimAlive()) {
    try {
      ProcessState last = ShimClient(task->identity().socket, task->name())
                              .call({{"op", "delete"}, {"exec_id", ""}})
                              .get<ProcessState>();
      task->recordExit(last, exitPublisher(task));
      return last;
    } catch (const Error& e) {
      if (e.code() != TENON_UNAVAILABLE) throw;
      host_.warn("the shim of task " + task->name() + " is gone: " + e.what());
      stopWithoutShim(task);
    }
  }
  forceDelete(*task);
  return task->process("");
}

// Without a shim, the runtime is told directly: its container may still run.
void RuncRuntime::forceDelete(const Task& task) const {
  const TaskIdentity& t = task.identity();
  RuntimeCli runtime(
      {config_.binary, t.runtimeRoot, config_.runtimeArgs, t.id, task.bundle().dir, task.bundle().runtimeLog()});
  try {
    runtime.remove(/*force=*/true);
  } catch (const Error& e) {
    // A container the runtime does not know is what we want.
    host_.debug("runtime delete of " + task.name() + ": " + e.what());
  }
  ::unlink(t.socket.c_str());
}

TaskReport RuncRuntime::removeExec(const std::shared_ptr<Task>& task, const std::string& execId) {
  validateName("exec id", execId);
  ProcessState last = task->process(execId);
  if (task->shimAlive()) {
    last = liveShim(*task, TENON_FAILED_PRECONDITION, "delete exec " + execId)
               .call({{"op", "delete"}, {"exec_id", execId}})
               .get<ProcessState>();
    if (last.status == ProcessStatus::stopped) task->recordExit(last, exitPublisher(task));
  }
  task->forget(execId);
  return {task->identity().ns, task->identity().id, task->identity().cgroupPath, last};
}

std::vector<TaskReport> RuncRuntime::list() const {
  std::vector<std::shared_ptr<Task>> tasks;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, task] : tasks_) tasks.push_back(task);
  }
  std::vector<TaskReport> out;
  for (const auto& task : tasks) {
    const TaskIdentity& t = task->identity();
    out.push_back({t.ns, t.id, t.cgroupPath, task->process("")});
  }
  return out;
}

Task::ExitPublisher RuncRuntime::exitPublisher(const std::shared_ptr<Task>& task) const {
  return [this, task](const ProcessState& exit) { events_.exited(*task, exit); };
}

void RuncRuntime::onExit(const std::shared_ptr<Task>& task, const ProcessState& exit) {
  task->recordExit(exit, exitPublisher(task));
}

void RuncRuntime::onShimGone(const std::shared_ptr<Task>& task) {
  host_.warn("the shim of task " + task->name() + " died; its processes count as stopped");
  stopWithoutShim(task);
}

void RuncRuntime::stopWithoutShim(const std::shared_ptr<Task>& task) {
  for (const ProcessState& exit : task->exitsWithoutShim()) task->recordExit(exit, exitPublisher(task));
  task->markShimGone();
  task->publishPendingExits(exitPublisher(task));
}

}  // namespace tenon::runtime_runc
