#include "tasks/tasks_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "filters/filter.hpp"
#include "metadata/containers.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::tasks {

namespace {

std::string text(capnp::Text::Reader t) { return {t.begin(), t.size()}; }

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
    return pool_.run([this, key] { return runtimeOf(key.ns, key.id).start(key.ns, key.id, key.execId); })
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
  kj::Promise<void> woken = exits_.next(ns, id);
  return pool_.run([this, ns, id, execId] { return runtimeOf(ns, id).state(ns, id, execId); })
      .then([this, ns, id, execId, woken = kj::mv(woken)](TaskState s) mutable -> kj::Promise<TaskState> {
        if (s.status == TaskStatus::stopped) return s;
        return woken.then([this, ns, id, execId]() mutable { return waitStopped(ns, id, execId); });
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
    std::vector<std::string> texts;
    for (auto f : context.getParams().getFilters()) texts.push_back(text(f));
    auto filter = std::make_shared<filters::Filter>(filters::Filter::parse(texts));
    return pool_.run([this, ns, filter] {
             std::vector<NamedState> out;
             for (const auto& [name, runtime] : runtimes_.byName)
               for (TaskState& s : runtime.list()) {
                 if (s.ns != ns || !s.execId.empty()) continue;
                 NamedState named{std::move(s), name};
                 auto fields = [&named](const std::string& field) -> std::optional<std::string> {
                   if (field == "id") return named.state.id;
                   if (field == "status") return std::string(taskStatusName(named.state.status));
                   if (field == "runtime") return named.runtime;
                   return std::nullopt;
                 };
                 if (filter->matches(filters::labelledFields(fields, std::map<std::string, std::string>{}))) out.push_back(std::move(named));
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

}  // namespace tenon::tasks
