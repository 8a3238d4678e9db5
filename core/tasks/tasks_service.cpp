#include "tasks/tasks_service.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <memory>

#include "filters/filter.hpp"
#include "metadata/containers.hpp"
#include "metrics/task_metrics.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::tasks {

namespace {

std::string text(capnp::Text::Reader t) { return {t.begin(), t.size()}; }

// How often a waited-for process's state is read when no exit event comes.
constexpr kj::Duration kSafetyRecheck = 1 * kj::SECONDS;

rpc::Status toRpc(TaskStatus status) {
  switch (status) {
    case TaskStatus::created: return rpc::Status::CREATED;
    case TaskStatus::running: return rpc::Status::RUNNING;
    case TaskStatus::stopped: return rpc::Status::STOPPED;
    case TaskStatus::paused: return rpc::Status::PAUSED;
    case TaskStatus::pausing: return rpc::Status::PAUSING;
    default: return rpc::Status::UNKNOWN;
  }
}

// A state with the runtime's name, as the RPC reports it.
struct NamedState {
  TaskState state;
  std::string runtime;
};

void toRpc(const NamedState& s, rpc::Task::Builder out) {
  out.setContainerId(s.state.id);
  out.setExecId(s.state.execId);
  out.setStatus(toRpc(s.state.status));
  out.setPid(s.state.pid);
  out.setExitStatus(s.state.exitStatus);
  out.setExitedAt(s.state.exitedAt);
  out.setRuntime(s.runtime);
}

TaskIo fromRpc(rpc::Io::Reader io) {
  return {text(io.getStdin()), text(io.getStdout()), text(io.getStderr()), io.getTerminal()};
}

// (namespace, container id, exec id) of a request that names a process.
struct ProcessKey {
  std::string ns, id, execId;
};

template <class Params>
ProcessKey processKey(Params params) {
  ProcessKey key{rpc::requestNamespace(params.getCtx()), text(params.getContainerId()), ""};
  if constexpr (requires { params.getExecId(); }) key.execId = text(params.getExecId());
  if (key.id.empty()) throw Error(TENON_INVALID_ARGUMENT, "a container id is required");
  return key;
}

// Whether a task matches `filter`: fields id, status, runtime, and its container's labels.
bool matches(const filters::Filter& filter, const std::string& runtime, const TaskState& task,
             const std::map<std::string, std::string>& labels) {
  auto fields = [&](const std::string& field) -> std::optional<std::string> {
    if (field == "id") return task.id;
    if (field == "status") return std::string(taskStatusName(task.status));
    if (field == "runtime") return runtime;
    return std::nullopt;
  };
  return filter.matches(filters::labelledFields(fields, labels));
}

std::vector<std::string> filterTexts(capnp::List<capnp::Text>::Reader filters) {
  std::vector<std::string> texts;
  for (auto f : filters) texts.push_back(text(f));
  return texts;
}

// The ids the filters name when each one is exactly "id==<id>", so that asking for
// the metrics of unknown tasks is not_found rather than an empty answer; else empty.
std::vector<std::string> namedIds(const std::vector<std::string>& filters) {
  std::vector<std::string> ids;
  for (const std::string& f : filters) {
    if (!f.starts_with("id==") || f.find_first_of(",\"", 4) != std::string::npos) return {};
    ids.push_back(f.substr(4));
  }
  return ids;
}

void toRpc(const metrics::TaskMetrics& m, rpc::TaskMetrics::Builder out) {
  out.setContainerId(m.containerId);
  out.setTimestamp(m.timestamp);
  auto samples = out.initSamples(m.samples.size());
  for (size_t i = 0; i < m.samples.size(); ++i) {
    samples[i].setName(m.samples[i].name);
    samples[i].setValue(m.samples[i].value);
    auto labels = samples[i].initLabels(m.samples[i].labels.size());
    size_t j = 0;
    for (const auto& [key, value] : m.samples[i].labels) {
      labels[j].setKey(key);
      labels[j++].setValue(value);
    }
  }
}

}  // namespace

const RuntimeTable& TasksService::runtimeOf(const std::string& ns, const std::string& id, std::string* name) const {
  metadata::Container container =
      store_.view([&](const metadata::ReadTx& tx) { return metadata::containers::get(tx, ns, id); });
  std::string runtime = container.runtime.name.empty() ? runtimes_.defaultName : container.runtime.name;
  auto found = runtimes_.byName.find(runtime);
  if (found == runtimes_.byName.end())
    throw Error(TENON_NOT_FOUND, fmt::format("runtime {:?} of container {:?} is not loaded", runtime, id));
  if (name) *name = runtime;
  return found->second;
}

bool TasksService::hasTask(const std::string& ns, const std::string& id) const {
  for (const auto& [name, runtime] : runtimes_.byName) {
    try {
      runtime.state(ns, id, "");
      return true;
    } catch (const Error& e) {
      if (e.code() != TENON_NOT_FOUND) throw;
    }
  }
  return false;
}

TaskState TasksService::createTask(const std::string& ns, const std::string& id, const TaskIo& io) const {
  metadata::Container container =
      store_.view([&](const metadata::ReadTx& tx) { return metadata::containers::get(tx, ns, id); });
  if (container.snapshotKey.empty())
    throw Error(TENON_FAILED_PRECONDITION, fmt::format("container {:?} has no root filesystem snapshot", id));
  auto snapshotter = snapshotters_.find(container.snapshotter);
  if (snapshotter == snapshotters_.end())
    throw Error(TENON_NOT_FOUND, fmt::format("snapshotter {:?} of container {:?} is not loaded", container.snapshotter, id));
  std::vector<Mount> rootfs = snapshotter->second.mounts(ns, container.snapshotKey);
  return runtimeOf(ns, id).create({ns, id, container.specJson, rootfs, io, container.runtime.optionsJson});
}

kj::Promise<void> TasksService::create(CreateContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    TaskIo io = fromRpc(context.getParams().getIo());
    return pool_.run([this, key, io] { return createTask(key.ns, key.id, io); }).then([context](TaskState s) mutable {
      toRpc({s, ""}, context.getResults().initTask());
    });
  });
}

kj::Promise<void> TasksService::start(StartContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    return pool_.run([this, key] {
             TaskState s = runtimeOf(key.ns, key.id).start(key.ns, key.id, key.execId);
             if (key.execId.empty()) oom_.watch(metrics::targetOf(s));
             return s;
           })
        .then([context](TaskState s) mutable { toRpc({s, ""}, context.getResults().initTask()); });
  });
}

kj::Promise<void> TasksService::kill(KillContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    uint32_t signal = context.getParams().getSignal();
    bool all = context.getParams().getAll();
    if (signal == 0 || signal >= 65) throw Error(TENON_INVALID_ARGUMENT, fmt::format("invalid signal {}", signal));
    return pool_.run([this, key, signal, all] { runtimeOf(key.ns, key.id).kill(key.ns, key.id, key.execId, signal, all); });
  });
}

kj::Promise<void> TasksService::pause(PauseContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    return pool_.run([this, key] { runtimeOf(key.ns, key.id).pause(key.ns, key.id); });
  });
}

kj::Promise<void> TasksService::resume(ResumeContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    return pool_.run([this, key] { runtimeOf(key.ns, key.id).resume(key.ns, key.id); });
  });
}

kj::Promise<void> TasksService::exec(ExecContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    if (key.execId.empty()) throw Error(TENON_INVALID_ARGUMENT, "an exec id is required");
    std::string process = text(context.getParams().getProcess());
    TaskIo io = fromRpc(context.getParams().getIo());
    return pool_.run([this, key, process, io] { runtimeOf(key.ns, key.id).exec(key.ns, key.id, key.execId, process, io); });
  });
}

kj::Promise<void> TasksService::resizePty(ResizePtyContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    uint32_t width = context.getParams().getWidth(), height = context.getParams().getHeight();
    return pool_.run([this, key, width, height] {
      runtimeOf(key.ns, key.id).resizePty(key.ns, key.id, key.execId, width, height);
    });
  });
}

kj::Promise<void> TasksService::closeStdin(CloseStdinContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    return pool_.run([this, key] { runtimeOf(key.ns, key.id).closeStdin(key.ns, key.id, key.execId); });
  });
}

kj::Promise<TaskState> TasksService::waitStopped(std::string ns, std::string id, std::string execId) {
  // Registered before the state is read, so an exit in between still wakes us.
  // Runtimes report a process stopped before they publish its /tasks/exit
  // (runtime.h), so the state read after the event is the final one; the
  // timer only bounds the wait should a runtime's event never come.
  kj::Promise<void> woken = exits_.next(ns, id);
  return pool_.run([this, ns, id, execId] { return runtimeOf(ns, id).state(ns, id, execId); })
      .then([this, ns, id, execId, woken = kj::mv(woken)](TaskState s) mutable -> kj::Promise<TaskState> {
        if (s.status == TaskStatus::stopped) return s;
        return woken.exclusiveJoin(timer_.afterDelay(kSafetyRecheck)).then([this, ns, id, execId]() mutable {
          return waitStopped(ns, id, execId);
        });
      });
}

kj::Promise<void> TasksService::wait(WaitContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    return waitStopped(key.ns, key.id, key.execId).then([context](TaskState s) mutable {
      toRpc({s, ""}, context.getResults().initTask());
    });
  });
}

kj::Promise<void> TasksService::get(GetContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    return pool_.run([this, key] {
             std::string runtime;
             TaskState s = runtimeOf(key.ns, key.id, &runtime).state(key.ns, key.id, key.execId);
             return NamedState{s, runtime};
           })
        .then([context](NamedState s) mutable { toRpc(s, context.getResults().initTask()); });
  });
}

kj::Promise<void> TasksService::list(ListContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    auto filter = std::make_shared<filters::Filter>(filters::Filter::parse(filterTexts(context.getParams().getFilters())));
    return pool_.run([this, ns, filter] {
             std::vector<NamedState> out;
             for (const auto& [name, runtime] : runtimes_.byName)
               for (TaskState& s : runtime.list()) {
                 if (s.ns != ns || !s.execId.empty()) continue;
                 if (matches(*filter, name, s, {})) out.push_back(NamedState{std::move(s), name});
               }
             std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.state.id < b.state.id; });
             return out;
           })
        .then([context](std::vector<NamedState> all) mutable {
          auto out = context.getResults().initTasks(all.size());
          for (size_t i = 0; i < all.size(); ++i) toRpc(all[i], out[i]);
        });
  });
}

kj::Promise<void> TasksService::pids(PidsContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    return pool_.run([this, key] { return runtimeOf(key.ns, key.id).pids(key.ns, key.id); })
        .then([context](std::vector<TaskProcess> all) mutable {
          auto out = context.getResults().initProcesses(all.size());
          for (size_t i = 0; i < all.size(); ++i) {
            out[i].setPid(all[i].pid);
            out[i].setInfo(all[i].infoJson);
          }
        });
  });
}

kj::Promise<void> TasksService::delete_(DeleteContext context) {
  return rpc::serveAsync([&] {
    ProcessKey key = processKey(context.getParams());
    return pool_.run([this, key] { return runtimeOf(key.ns, key.id).remove(key.ns, key.id, key.execId); })
        .then([context](TaskState s) mutable { toRpc({s, ""}, context.getResults().initTask()); });
  });
}

void TasksService::watchRunningTasks() {
  for (const auto& [name, runtime] : runtimes_.byName)
    for (const TaskState& s : runtime.list())
      if (s.execId.empty() && (s.status == TaskStatus::running || s.status == TaskStatus::paused))
        oom_.watch(metrics::targetOf(s));
}

std::vector<metrics::TaskMetrics> TasksService::collectMetrics(const std::string& ns,
                                                               const std::vector<std::string>& filterTexts) const {
  if (metrics_ == nullptr) throw Error(TENON_UNAVAILABLE, "no metrics plugin is loaded");
  filters::Filter filter = filters::Filter::parse(filterTexts);
  auto select = [&](const std::string& runtime, const TaskState& task) {
    if (task.ns != ns) return false;
    auto container = store_.view([&](const metadata::ReadTx& tx) { return metadata::containers::find(tx, ns, task.id); });
    return matches(filter, runtime, task, container ? container->labels : metadata::Labels{});
  };
  std::vector<metrics::TaskMetrics> found = metrics::collectTasks(runtimes_.byName, *metrics_, select);
  std::vector<std::string> ids = namedIds(filterTexts);
  if (found.empty() && !ids.empty())
    throw Error(TENON_NOT_FOUND, fmt::format("task {:?} not found in namespace {:?}", fmt::join(ids, ", "), ns));
  return found;
}

kj::Promise<void> TasksService::metrics(MetricsContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::vector<std::string> texts = filterTexts(context.getParams().getFilters());
    filters::Filter::parse(texts);  // a bad filter fails here, before any work
    return pool_.run([this, ns, texts] { return collectMetrics(ns, texts); })
        .then([context](std::vector<metrics::TaskMetrics> all) mutable {
          auto out = context.getResults().initMetrics(all.size());
          for (size_t i = 0; i < all.size(); ++i) toRpc(all[i], out[i]);
        });
  });
}

}  // namespace tenon::tasks
