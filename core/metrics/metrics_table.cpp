#include "metrics/metrics_table.hpp"

#include <exception>
#include <tenon/c_boundary.hpp>
#include <tenon/error.hpp>

namespace tenon::metrics {

namespace {

struct ErrorRecord {
  tenon_error err;
  ErrorRecord() { tenon_error_init(&err); }
};

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

// Collects samples from the plugin's sink; what the copy throws stops the
// plugin's loop (exceptions never cross the C edge) and is rethrown after.
struct SampleSink {
  std::vector<Sample> samples;
  std::exception_ptr thrown;

  static tenon_status call(void* ctx, const tenon_metric_sample* sample) {
    auto* self = static_cast<SampleSink*>(ctx);
    try {
      if (sample == nullptr || sample->struct_size < sizeof(tenon_metric_sample))
        fail(TENON_INTERNAL, "the metrics plugin returned a malformed tenon_metric_sample");
      Sample out{copyText(sample->name), sample->value, {}};
      for (size_t i = 0; i < sample->labels.len; ++i)
        out.labels[copyText(sample->labels.items[i].key)] = copyText(sample->labels.items[i].value);
      self->samples.push_back(std::move(out));
      return TENON_OK;
    } catch (...) {
      self->thrown = std::current_exception();
      return TENON_CANCELLED;
    }
  }
};

}  // namespace

std::vector<Sample> MetricsTable::collect(const MetricsTarget& target) const {
  auto fn = requireFunction(service_.table->collect, "metrics service", "collect");
  tenon_metrics_target c = toC(target);
  SampleSink sink;
  ErrorRecord e;
  tenon_status status = fn(service_.self, &c, &SampleSink::call, &sink, &e.err);
  if (sink.thrown) std::rethrow_exception(sink.thrown);
  check(status, e.err);
  return std::move(sink.samples);
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
