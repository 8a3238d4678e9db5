#include "metrics/metrics_table.hpp"

#include <tenon/c_boundary.hpp>
#include <tenon/error.hpp>

namespace tenon::metrics {

namespace {

// A target as the C ABI takes it; borrows `target`'s strings.
tenon_metrics_target toC(const MetricsTarget& target) {
  tenon_metrics_target c{};
  c.struct_size = sizeof c;
  c.ns = cString(target.ns, "namespace");
  c.id = cString(target.id, "task id");
  c.cgroup_path = cString(target.cgroupPath, "cgroup path");
  c.pid = target.pid;
  return c;
}

// A sample as the plugin handed it, copied.
Sample toSample(const tenon_metric_sample* sample) {
  if (sample == nullptr || sample->struct_size < sizeof(tenon_metric_sample))
    fail(TENON_INTERNAL, "the metrics plugin returned a malformed tenon_metric_sample");
  Sample out{copyText(sample->name), sample->value, {}};
  for (size_t i = 0; i < sample->labels.len; ++i)
    out.labels[copyText(sample->labels.items[i].key)] = copyText(sample->labels.items[i].value);
  return out;
}

}  // namespace

std::vector<Sample> MetricsTable::collect(const MetricsTarget& target) const {
  auto fn = requireFunction(service_.table->collect, "metrics service", "collect");
  tenon_metrics_target c = toC(target);
  std::vector<Sample> samples;
  auto sink = callbackSink<const tenon_metric_sample*>(
      [&](const tenon_metric_sample* sample) { samples.push_back(toSample(sample)); });
  ErrorRecord e;
  sink.check(fn(service_.self, &c, &decltype(sink)::call, &sink, &e.err), e.err);
  return samples;
}

void MetricsTable::watchOom(const MetricsTarget& target) const {
  auto fn = requireFunction(service_.table->watch_oom, "metrics service", "watch_oom");
  tenon_metrics_target c = toC(target);
  ErrorRecord e;
  check(fn(service_.self, &c, &e.err), e.err);
}

void MetricsTable::unwatchOom(const std::string& ns, const std::string& id) const {
  auto fn = requireFunction(service_.table->unwatch_oom, "metrics service", "unwatch_oom");
  ErrorRecord e;
  check(fn(service_.self, cString(ns, "namespace"), cString(id, "task id"), &e.err), e.err);
}

}  // namespace tenon::metrics
