// The Prometheus page: names in base units, counters with _total, one header per family, escaped labels.
#include <doctest/doctest.h>

#include "metrics/prometheus_text.hpp"

using namespace tenon::metrics;

TEST_CASE("samples of several tasks group under one HELP/TYPE per family") {
  std::vector<TaskMetrics> tasks = {
      {"default", "a", 1, {{"cpu.usage_ns", 1.5e9, {}}, {"memory.usage_bytes", 4096, {}}}},
      {"other", "b", 1, {{"cpu.usage_ns", 2e9, {}}, {"blkio.read_bytes", 512, {{"device", "8:0"}}}}},
  };
  std::string text = prometheusText(tasks);
  CHECK(text ==
        "# HELP container_blkio_read_bytes_total The container's cgroup value blkio.read_bytes.\n"
        "# TYPE container_blkio_read_bytes_total counter\n"
        "container_blkio_read_bytes_total{namespace=\"other\",container_id=\"b\",device=\"8:0\"} 512\n"
        "# HELP container_cpu_usage_seconds_total The container's cgroup value cpu.usage_ns, in seconds.\n"
        "# TYPE container_cpu_usage_seconds_total counter\n"
        "container_cpu_usage_seconds_total{namespace=\"default\",container_id=\"a\"} 1.5\n"
        "container_cpu_usage_seconds_total{namespace=\"other\",container_id=\"b\"} 2\n"
        "# HELP container_memory_usage_bytes The container's cgroup value memory.usage_bytes.\n"
        "# TYPE container_memory_usage_bytes gauge\n"
        "container_memory_usage_bytes{namespace=\"default\",container_id=\"a\"} 4096\n");
}

TEST_CASE("label values are escaped and odd names made valid") {
  std::vector<TaskMetrics> tasks = {{"ns", "we\"ird\\id", 1, {{"memory.events.oom_kill", 1, {{"x-y", "a\nb"}}}}}};
  std::string text = prometheusText(tasks);
  CHECK(text.find("container_memory_events_oom_kill_total{namespace=\"ns\",container_id=\"we\\\"ird\\\\id\",x_y=\"a\\nb\"} 1\n") !=
        std::string::npos);
}

TEST_CASE("no tasks, an empty page") { CHECK(prometheusText({}).empty()); }
