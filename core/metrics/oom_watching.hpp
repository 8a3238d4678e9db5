// The core's half of "/tasks/oom always comes before that task's /tasks/exit".
// The metrics plugin watches a task's cgroup from its start (watch); when the
// runtime publishes the exit of a task's init process, the daemon's publisher
// calls beforeExit first, which has the plugin publish any OOM kill it has
// not published yet (unwatch_oom, synchronous) — so the OOM enters the event
// exchange before the exit does. Thread-safe: exits are published from the
// runtime's threads. Without a metrics plugin every call does nothing.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "log/logger.hpp"
#include "metrics/metrics_table.hpp"

namespace tenon::metrics {

class OomWatching {
 public:
  explicit OomWatching(log::Logger& logger) : logger_(logger) {}

  // Uses `table` from now on (once the plugins are loaded).
  void attach(MetricsTable table);
  // Stops using it (before the plugins are finalised).
  void detach();

  // Starts watching a task that runs (just started, or found running after a
  // restart); a failure is logged, never a reason to fail the task.
  void watch(const MetricsTarget& target);
  // Called for each /tasks/exit before it is published: for an init process
  // (payload "id" equals "container_id"), publishes its pending OOM and stops watching.
  void beforeExit(const std::string& ns, const std::string& exitPayloadJson);

 private:
  log::Logger& logger_;
  // Held across plugin calls, so that detach() waits for a call in flight.
  std::mutex mutex_;
  std::optional<MetricsTable> table_;
};

}  // namespace tenon::metrics
