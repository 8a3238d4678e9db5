// The metrics of many tasks at once, as the Metrics RPC and the Prometheus
// page want them: every task the runtimes hold that `select` keeps, measured
// through the metrics plugin. Blocks (runtime and plugin calls): run it off
// the event loop.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "metrics/metrics_table.hpp"
#include "tasks/runtime_table.hpp"

namespace tenon::metrics {

struct TaskMetrics {
  std::string ns;
  std::string containerId;
  int64_t timestamp = 0;  // nanoseconds since the Unix epoch, when collected
  std::vector<Sample> samples;
};

// The target of a task's init process.
MetricsTarget targetOf(const tasks::TaskState& task);

// Metrics of each init process of `runtimes` that `select` keeps, by (namespace, id).
// A task whose cgroup is gone (it stopped and was deleted meanwhile) is left out.
std::vector<TaskMetrics> collectTasks(const std::map<std::string, tasks::RuntimeTable>& runtimes, const MetricsTable& table,
                                      const std::function<bool(const std::string& runtime, const tasks::TaskState&)>& select);

}  // namespace tenon::metrics
