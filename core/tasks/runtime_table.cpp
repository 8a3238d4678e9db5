#include "tasks/runtime_table.hpp"

#include <cstddef>
#include <tenon/c_boundary.hpp>
#include <tenon/error.hpp>
#include <utility>

namespace tenon::tasks {

namespace {

// The ABI 1 size of the state a plugin hands back: smaller is a broken plugin.
constexpr size_t kStateV1Size = offsetof(tenon_task_state, cgroup_path) + sizeof(const char*);

TaskState toState(const tenon_task_state* c) {
  if (c == nullptr || c->struct_size < kStateV1Size)
    fail(TENON_INTERNAL, "the runtime returned a malformed tenon_task_state");
  if (c->status < TENON_TASK_UNKNOWN || c->status > TENON_TASK_PAUSING)
    fail(TENON_INTERNAL, "the runtime returned an unknown task status " + std::to_string(c->status));
  return {copyText(c->ns), copyText(c->id), copyText(c->exec_id), static_cast<TaskStatus>(c->status),
          c->pid,          c->exit_status,  c->exited_at,         copyText(c->cgroup_path)};
}

template <class Visit>
auto stateSink(Visit visit) {
  return callbackSink<const tenon_task_state*>(std::move(visit));
}

// Calls `fn(sink, ctx, err)` with a sink that keeps one state; that state.
template <class Fn>
TaskState oneState(Fn&& fn, const char* what) {
  TaskState out;
  auto sink = stateSink([&](const tenon_task_state* s) { out = toState(s); });
  ErrorRecord e;
  sink.check(fn(&decltype(sink)::call, &sink, &e.err), e.err);
  if (!sink.called) fail(TENON_INTERNAL, std::string("the runtime answered ") + what + " without calling its sink");
  return out;
}

// start, wait, state and remove share one signature: (self, ns, id, exec_id, sink, ctx, err).
using ProcessFn = tenon_status (*)(void*, const char*, const char*, const char*, tenon_task_sink, void*, tenon_error*);

TaskState processCall(const ServiceRef<tenon_runtime_service>& service, ProcessFn fn, const std::string& ns,
                      const std::string& id, const std::string& execId, const char* what) {
  return oneState(
      [&](auto sink, void* ctx, tenon_error* err) {
        return fn(service.self, cString(ns, "namespace"), cString(id, "task id"), cString(execId, "exec id"), sink, ctx,
                  err);
      },
      what);
}

tenon_task_io toC(const TaskIo& io) {
  tenon_task_io c{};
  c.struct_size = sizeof c;
  c.stdin_path = cString(io.stdinPath, "stdin path");
  c.stdout_path = cString(io.stdoutPath, "stdout path");
  c.stderr_path = cString(io.stderrPath, "stderr path");
  c.terminal = io.terminal ? 1 : 0;
  return c;
}

// Borrowed C mounts over `mounts`, valid while `mounts` is.
struct CMounts {
  std::vector<std::vector<const char*>> options;
  std::vector<tenon_mount> items;
  explicit CMounts(const std::vector<Mount>& mounts) {
    options.reserve(mounts.size());
    for (const Mount& m : mounts) {
      std::vector<const char*>& opts = options.emplace_back();
      for (const std::string& o : m.options) opts.push_back(cString(o, "a mount option"));
      items.push_back({sizeof(tenon_mount),
                       cString(m.type, "mount type"),
                       cString(m.source, "mount source"),
                       cString(m.target, "mount target"),
                       {opts.data(), opts.size()}});
    }
  }
};

}  // namespace

const char* taskStatusName(TaskStatus status) {
  switch (status) {
    case TaskStatus::unknown: return "unknown";
    case TaskStatus::created: return "created";
    case TaskStatus::running: return "running";
    case TaskStatus::stopped: return "stopped";
    case TaskStatus::paused: return "paused";
    case TaskStatus::pausing: return "pausing";
  }
  return "unknown";
}

TaskState RuntimeTable::create(const CreateTaskRequest& r) const {
  auto fn = requireFunction(service_.table->create, "runtime", "create");
  CMounts mounts(r.rootfs);
  tenon_task_create c{};
  c.struct_size = sizeof c;
  c.ns = cString(r.ns, "namespace");
  c.id = cString(r.id, "task id");
  c.spec_json = cString(r.specJson, "spec");
  c.rootfs = mounts.items.data();
  c.rootfs_len = mounts.items.size();
  c.io = toC(r.io);
  c.options_json = cString(r.optionsJson, "options");
  return oneState([&](auto sink, void* ctx, tenon_error* err) { return fn(service_.self, &c, sink, ctx, err); },
                  "create");
}

TaskState RuntimeTable::start(const std::string& ns, const std::string& id, const std::string& execId) const {
  auto fn = requireFunction(service_.table->start, "runtime", "start");
  return processCall(service_, fn, ns, id, execId, "start");
}

void RuntimeTable::kill(const std::string& ns, const std::string& id, const std::string& execId, uint32_t signal,
                        bool all) const {
  auto fn = requireFunction(service_.table->kill, "runtime", "kill");
  ErrorRecord e;
  check(fn(service_.self, cString(ns, "namespace"), cString(id, "task id"), cString(execId, "exec id"), signal,
           all ? 1 : 0, &e.err),
        e.err);
}

void RuntimeTable::pause(const std::string& ns, const std::string& id) const {
  auto fn = requireFunction(service_.table->pause, "runtime", "pause");
  ErrorRecord e;
  check(fn(service_.self, cString(ns, "namespace"), cString(id, "task id"), &e.err), e.err);
}

void RuntimeTable::resume(const std::string& ns, const std::string& id) const {
  auto fn = requireFunction(service_.table->resume, "runtime", "resume");
  ErrorRecord e;
  check(fn(service_.self, cString(ns, "namespace"), cString(id, "task id"), &e.err), e.err);
}

void RuntimeTable::exec(const std::string& ns, const std::string& id, const std::string& execId,
                        const std::string& processJson, const TaskIo& io) const {
  auto fn = requireFunction(service_.table->exec, "runtime", "exec");
  tenon_task_io c = toC(io);
  ErrorRecord e;
  check(fn(service_.self, cString(ns, "namespace"), cString(id, "task id"), cString(execId, "exec id"),
           cString(processJson, "process"), &c, &e.err),
        e.err);
}

void RuntimeTable::resizePty(const std::string& ns, const std::string& id, const std::string& execId, uint32_t width,
                             uint32_t height) const {
  auto fn = requireFunction(service_.table->resize_pty, "runtime", "resize_pty");
  ErrorRecord e;
  check(fn(service_.self, cString(ns, "namespace"), cString(id, "task id"), cString(execId, "exec id"), width, height,
           &e.err),
        e.err);
}

void RuntimeTable::closeStdin(const std::string& ns, const std::string& id, const std::string& execId) const {
  auto fn = requireFunction(service_.table->close_stdin, "runtime", "close_stdin");
  ErrorRecord e;
  check(fn(service_.self, cString(ns, "namespace"), cString(id, "task id"), cString(execId, "exec id"), &e.err), e.err);
}

TaskState RuntimeTable::wait(const std::string& ns, const std::string& id, const std::string& execId) const {
  auto fn = requireFunction(service_.table->wait, "runtime", "wait");
  return processCall(service_, fn, ns, id, execId, "wait");
}

TaskState RuntimeTable::state(const std::string& ns, const std::string& id, const std::string& execId) const {
  auto fn = requireFunction(service_.table->state, "runtime", "state");
  return processCall(service_, fn, ns, id, execId, "state");
}

std::vector<TaskProcess> RuntimeTable::pids(const std::string& ns, const std::string& id) const {
  auto fn = requireFunction(service_.table->pids, "runtime", "pids");
  std::vector<TaskProcess> out;
  auto visit = [&](uint32_t pid, const char* info) { out.push_back({pid, copyText(info)}); };
  auto sink = callbackSink<uint32_t, const char*>(std::move(visit));
  ErrorRecord e;
  sink.check(fn(service_.self, cString(ns, "namespace"), cString(id, "task id"), &decltype(sink)::call, &sink, &e.err),
             e.err);
  return out;
}

TaskState RuntimeTable::remove(const std::string& ns, const std::string& id, const std::string& execId) const {
  auto fn = requireFunction(service_.table->remove, "runtime", "remove");
  return processCall(service_, fn, ns, id, execId, "remove");
}

std::vector<TaskState> RuntimeTable::list() const {
  auto fn = requireFunction(service_.table->list, "runtime", "list");
  std::vector<TaskState> out;
  auto sink = stateSink([&](const tenon_task_state* s) { out.push_back(toState(s)); });
  ErrorRecord e;
  sink.check(fn(service_.self, &decltype(sink)::call, &sink, &e.err), e.err);
  return out;
}

}  // namespace tenon::tasks
