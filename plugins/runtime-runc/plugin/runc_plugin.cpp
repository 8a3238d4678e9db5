// The runtime.runc plugin: a RuncRuntime offered to the core as the runtime
// service "runc" through the C table. Every entry point turns exceptions
// into a status here (tenon::guard); sinks get borrowed C views.
#include <tenon/runtime.h>

#include <string>
#include <tenon/c_boundary.hpp>
#include <tenon/error.hpp>
#include <tenon/mount.hpp>
#include <tenon/plugin.hpp>

#include "plugin/runc_runtime.hpp"
#include "plugin/runtime_config.hpp"

namespace tenon::runtime_runc {

namespace {

// The ABI 1 size of tenon_task_io: what a caller must at least hand over.
constexpr size_t kIoV1Size = offsetof(tenon_task_io, terminal) + sizeof(int32_t);

RuncRuntime& runtimeOf(void* self) { return *static_cast<RuncRuntime*>(self); }

std::string text(const char* s, const char* what) { return std::string(argText(s, what)); }

// exec ids arrive as NULL or "" for the init process.
std::string execIdOf(const char* execId) { return execId ? execId : ""; }

ProcessIo ioOf(const tenon_task_io& io) {
  if (io.struct_size < kIoV1Size) fail(TENON_INVALID_ARGUMENT, "tenon_task_io is smaller than its ABI 1 size");
  return {copyText(io.stdin_path), copyText(io.stdout_path), copyText(io.stderr_path), io.terminal != 0};
}

TaskCreate createOf(const tenon_task_create& r) {
  if (!TENON_HAS_FIELD(tenon_task_create, r.struct_size, options_json))
    fail(TENON_INVALID_ARGUMENT, "tenon_task_create is smaller than its ABI 1 size");
  if (r.rootfs_len > 0 && r.rootfs == nullptr) fail(TENON_INVALID_ARGUMENT, "rootfs is NULL");
  return {text(r.ns, "ns"), text(r.id, "id"),        text(r.spec_json, "spec_json"), copyMounts(r.rootfs, r.rootfs_len),
          ioOf(r.io),       copyText(r.options_json)};
}

tenon_task_status statusOf(ProcessStatus s) {
  switch (s) {
    case ProcessStatus::created: return TENON_TASK_CREATED;
    case ProcessStatus::running: return TENON_TASK_RUNNING;
    case ProcessStatus::paused: return TENON_TASK_PAUSED;
    case ProcessStatus::stopped: return TENON_TASK_STOPPED;
  }
  return TENON_TASK_UNKNOWN;
}

// Hands `r` to a C sink; its answer is what the call returns.
tenon_status sendState(tenon_task_sink sink, void* ctx, const TaskReport& r) {
  tenon_task_state c{};
  c.struct_size = sizeof c;
  c.ns = r.ns.c_str();
  c.id = r.id.c_str();
  c.exec_id = r.process.execId.c_str();
  c.status = statusOf(r.process.status);
  c.pid = r.process.pid;
  c.exit_status = r.process.exitStatus;
  c.exited_at = r.process.exitedAt;
  c.cgroup_path = r.cgroupPath.c_str();
  return sink(ctx, &c);
}

tenon_status create(void* self, const tenon_task_create* request, tenon_task_sink sink, void* ctx, tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    stopped = sendState(sink, ctx, runtimeOf(self).create(createOf(argRequired(request, "request"))));
  });
}

tenon_status start(void* self, const char* ns, const char* id, const char* execId, tenon_task_sink sink, void* ctx,
                   tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    stopped = sendState(sink, ctx, runtimeOf(self).start(text(ns, "ns"), text(id, "id"), execIdOf(execId)));
  });
}

tenon_status kill(void* self, const char* ns, const char* id, const char* execId, uint32_t signal, int32_t all,
                  tenon_error* err) {
  return guard(err, [&] { runtimeOf(self).kill(text(ns, "ns"), text(id, "id"), execIdOf(execId), signal, all != 0); });
}

tenon_status pause(void* self, const char* ns, const char* id, tenon_error* err) {
  return guard(err, [&] { runtimeOf(self).pause(text(ns, "ns"), text(id, "id")); });
}

tenon_status resume(void* self, const char* ns, const char* id, tenon_error* err) {
  return guard(err, [&] { runtimeOf(self).resume(text(ns, "ns"), text(id, "id")); });
}

tenon_status exec(void* self, const char* ns, const char* id, const char* execId, const char* processJson,
                  const tenon_task_io* io, tenon_error* err) {
  return guard(err, [&] {
    runtimeOf(self).exec(text(ns, "ns"), text(id, "id"), text(execId, "exec_id"), text(processJson, "process_json"),
                         ioOf(argRequired(io, "io")));
  });
}

tenon_status resizePty(void* self, const char* ns, const char* id, const char* execId, uint32_t width, uint32_t height,
                       tenon_error* err) {
  return guard(err,
               [&] { runtimeOf(self).resizePty(text(ns, "ns"), text(id, "id"), execIdOf(execId), width, height); });
}

tenon_status closeStdin(void* self, const char* ns, const char* id, const char* execId, tenon_error* err) {
  return guard(err, [&] { runtimeOf(self).closeStdin(text(ns, "ns"), text(id, "id"), execIdOf(execId)); });
}

tenon_status wait(void* self, const char* ns, const char* id, const char* execId, tenon_task_sink sink, void* ctx,
                  tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    stopped = sendState(sink, ctx, runtimeOf(self).wait(text(ns, "ns"), text(id, "id"), execIdOf(execId)));
  });
}

tenon_status state(void* self, const char* ns, const char* id, const char* execId, tenon_task_sink sink, void* ctx,
                   tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    stopped = sendState(sink, ctx, runtimeOf(self).state(text(ns, "ns"), text(id, "id"), execIdOf(execId)));
  });
}

tenon_status pids(void* self, const char* ns, const char* id, tenon_pid_sink sink, void* ctx, tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    for (const auto& [pid, info] : runtimeOf(self).pids(text(ns, "ns"), text(id, "id")))
      if ((stopped = sink(ctx, pid, info.c_str())) != TENON_OK) return;
  });
}

tenon_status remove(void* self, const char* ns, const char* id, const char* execId, tenon_task_sink sink, void* ctx,
                    tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    stopped = sendState(sink, ctx, runtimeOf(self).remove(text(ns, "ns"), text(id, "id"), execIdOf(execId)));
  });
}

tenon_status list(void* self, tenon_task_sink sink, void* ctx, tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    for (const TaskReport& r : runtimeOf(self).list())
      if ((stopped = sendState(sink, ctx, r)) != TENON_OK) return;
  });
}

const tenon_runtime_service kRuntimeService = {
    sizeof(tenon_runtime_service),
    create,
    start,
    kill,
    pause,
    resume,
    exec,
    resizePty,
    closeStdin,
    wait,
    state,
    pids,
    remove,
    list,
};

}  // namespace

// The plugin's state between init and fini: the runtime, registered as "runc".
class RuncPlugin {
 public:
  explicit RuncPlugin(Host host) : runtime_(host, parseRuntimeConfig(host.configToml(), std::string(host.state()))) {
    host.registerService(TENON_PLUGIN_RUNTIME, "runc", &kRuntimeService, &runtime_);
    host.info("runc runtime ready, tasks under " + std::string(host.state()));
  }

 private:
  RuncRuntime runtime_;
};

}  // namespace tenon::runtime_runc

TENON_DEFINE_PLUGIN(tenon::runtime_runc::RuncPlugin, TENON_PLUGIN_RUNTIME, "runc", RUNTIME_RUNC_VERSION)
