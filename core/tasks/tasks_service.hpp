// The Tasks RPC service: a container's running instance, through the
// runtime plugin its record names (the daemon's default runtime when none).
// The core hands the runtime the container's spec and its snapshot's Mount
// list; the runtime never learns which snapshotter made them. Runtime calls
// block, so they run on the worker pool — except waiting for an exit, which
// holds no thread at all (see ExitWaiters).
#pragma once

#include <kj/timer.h>

#include <map>
#include <string>

#include "metadata/metadata_store.hpp"
#include "metrics/metrics_table.hpp"
#include "metrics/oom_watching.hpp"
#include "metrics/task_metrics.hpp"
#include "rpc/worker_pool.hpp"
#include "snapshots/namespaced_snapshotter.hpp"
#include "tasks.capnp.h"
#include "tasks/exit_waiters.hpp"
#include "tasks/runtime_table.hpp"

namespace tenon::tasks {

// The loaded runtimes by name, and the one a container without a runtime name gets.
struct Runtimes {
  std::map<std::string, RuntimeTable> byName;
  std::string defaultName = "runc";
};

class TasksService final : public rpc::Tasks::Server {
 public:
  // `metrics` is the metrics plugin's service, nullptr when none is loaded;
  // `oom` watches each task it starts for OOM kills.
  TasksService(const Runtimes& runtimes, const std::map<std::string, snapshots::NamespacedSnapshotter>& snapshotters,
               metadata::MetadataStore& store, rpc::WorkerPool& pool, ExitWaiters& exits, metrics::OomWatching& oom,
               const metrics::MetricsTable* metrics, kj::Timer& timer)
      : runtimes_(runtimes), snapshotters_(snapshotters), store_(store), pool_(pool), exits_(exits), oom_(oom),
        metrics_(metrics), timer_(timer) {}

  // Watches every task found running (after a daemon restart) for OOM kills. Blocks.
  void watchRunningTasks();

  // Whether the container (ns, id) has a task: a container with one may not be deleted.
  bool hasTask(const std::string& ns, const std::string& id) const;

 protected:
  kj::Promise<void> create(CreateContext context) override;
  kj::Promise<void> start(StartContext context) override;
  kj::Promise<void> kill(KillContext context) override;
  kj::Promise<void> pause(PauseContext context) override;
  kj::Promise<void> resume(ResumeContext context) override;
  kj::Promise<void> exec(ExecContext context) override;
  kj::Promise<void> resizePty(ResizePtyContext context) override;
  kj::Promise<void> closeStdin(CloseStdinContext context) override;
  kj::Promise<void> wait(WaitContext context) override;
  kj::Promise<void> get(GetContext context) override;
  kj::Promise<void> list(ListContext context) override;
  kj::Promise<void> pids(PidsContext context) override;
  kj::Promise<void> delete_(DeleteContext context) override;
  kj::Promise<void> metrics(MetricsContext context) override;

 private:
  // The runtime of the container (ns, id); not_found for an unknown container or runtime.
  const RuntimeTable& runtimeOf(const std::string& ns, const std::string& id, std::string* name = nullptr) const;
  TaskState createTask(const std::string& ns, const std::string& id, const TaskIo& io) const;
  // The metrics of the namespace's tasks that the filters select.
  std::vector<metrics::TaskMetrics> collectMetrics(const std::string& ns, const std::vector<std::string>& filterTexts) const;
  // Resolves once the process has stopped, with its final state.
  kj::Promise<TaskState> waitStopped(std::string ns, std::string id, std::string execId);

  const Runtimes& runtimes_;
  const std::map<std::string, snapshots::NamespacedSnapshotter>& snapshotters_;
  metadata::MetadataStore& store_;
  rpc::WorkerPool& pool_;
  ExitWaiters& exits_;
  metrics::OomWatching& oom_;
  const metrics::MetricsTable* metrics_;
  kj::Timer& timer_;  // re-reads the state of a waited-for process (see waitStopped)
};

}  // namespace tenon::tasks
