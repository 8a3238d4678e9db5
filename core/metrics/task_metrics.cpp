#include "metrics/task_metrics.hpp"

#include <algorithm>
#include <chrono>
#include <tenon/error.hpp>

namespace tenon::metrics {

namespace {

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

MetricsTarget targetOf(const tasks::TaskState& task) { return {task.ns, task.id, task.cgroupPath, task.pid}; }

std::vector<TaskMetrics> collectTasks(const std::map<std::string, tasks::RuntimeTable>& runtimes, const MetricsTable& table,
                                      const std::function<bool(const std::string& runtime, const tasks::TaskState&)>& select) {
  std::vector<TaskMetrics> out;
  for (const auto& [name, runtime] : runtimes)
    for (const tasks::TaskState& task : runtime.list()) {
      if (!task.execId.empty() || task.cgroupPath.empty() || !select(name, task)) continue;
      try {
        out.push_back({task.ns, task.id, nowNanos(), table.collect(targetOf(task))});
      } catch (const Error& e) {
        if (e.code() != TENON_NOT_FOUND) throw;
      }
    }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return std::tie(a.ns, a.containerId) < std::tie(b.ns, b.containerId); });
  return out;
}

}  // namespace tenon::metrics
