// Task metrics in the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/), as served
// at /v1/metrics. Each sample becomes a series of the family
// "container_<name, '.' as '_'>" labelled with namespace and container_id:
// nanoseconds become seconds ("cpu.usage_ns" → container_cpu_usage_seconds_total),
// cumulative values are counters with the "_total" suffix, the rest gauges —
// the names promtool's linter expects.
#pragma once

#include <string>
#include <vector>

#include "metrics/task_metrics.hpp"

namespace tenon::metrics {

// The page for `tasks`: one HELP and TYPE per family, then its series.
std::string prometheusText(const std::vector<TaskMetrics>& tasks);

}  // namespace tenon::metrics
