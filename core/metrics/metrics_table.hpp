// The core's C++ view of a metrics service (a tenon_metrics_service table and
// its self, as the plugin registered them): values instead of sinks,
// tenon::Error (carrying the plugin's code and message) instead of statuses.
// A NULL function in the table is not_implemented. The view borrows the
// table: it must not outlive the plugin's fini. Copyable and cheap; every
// method may block (it reads cgroup files), so call it off the event loop.
#pragma once

#include <tenon/metrics.h>

#include <cstdint>
#include <map>
#include <string>
#include <tenon/plugin.hpp>
#include <vector>

namespace tenon::metrics {

// The task to measure: its cgroup, as the OCI spec's linux.cgroupsPath names it.
struct MetricsTarget {
  std::string ns;
  std::string id;
  std::string cgroupPath;
  uint32_t pid = 0;  // the init pid, 0 when unknown
};

// One measured value, such as "memory.usage_bytes" or "blkio.read_bytes"{device="8:0"}.
struct Sample {
  std::string name;
  double value = 0;
  std::map<std::string, std::string> labels;

  friend bool operator==(const Sample&, const Sample&) = default;
};

class MetricsTable {
 public:
  explicit MetricsTable(ServiceRef<tenon_metrics_service> service) : service_(service) {}

  // The target's current resource use; not_found when its cgroup does not exist.
  std::vector<Sample> collect(const MetricsTarget& target) const;
  // Starts publishing the target's OOM kills as /tasks/oom.
  void watchOom(const MetricsTarget& target) const;
  // Publishes any OOM kill of (ns, id) not yet published, then stops watching it.
  void unwatchOom(const std::string& ns, const std::string& id) const;

 private:
  ServiceRef<tenon_metrics_service> service_;
};

}  // namespace tenon::metrics
