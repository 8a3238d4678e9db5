// The metrics-cgroup plugin (metrics.cgroup): a task's resource use read from
// its cgroup (samples.hpp names every sample) and its OOM kills published as
// /tasks/oom, offered to the core as the metrics service "cgroup". Every
// entry point turns exceptions into a status at this edge (tenon::guard).
#include <tenon/c_boundary.hpp>
#include <tenon/error.hpp>
#include <tenon/metrics.h>
#include <tenon/plugin.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "cgroup_hierarchy.hpp"
#include "cgroup_stats.hpp"
#include "oom_watcher.hpp"

namespace tenon::metrics_cgroup {

namespace {

// JSON string escaping for the ids in the /tasks/oom payload.
std::string jsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

class MetricsCgroupPlugin {
 public:
  explicit MetricsCgroupPlugin(Host host);

  Samples collect(const tenon_metrics_target& target) const {
    return readStats(hierarchy_.locate(std::string(argText(target.cgroup_path, "cgroup_path"))));
  }
  void watchOom(const tenon_metrics_target& target) {
    watcher_.watch(std::string(argText(target.ns, "ns")), std::string(argText(target.id, "id")),
                   hierarchy_.locate(std::string(argText(target.cgroup_path, "cgroup_path"))));
  }
  void unwatchOom(const char* ns, const char* id) {
    watcher_.unwatch(std::string(argText(ns, "ns")), std::string(argText(id, "id")));
  }

 private:
  CgroupHierarchy hierarchy_;
  OomWatcher watcher_;
};

namespace {

MetricsCgroupPlugin& pluginOf(void* self) { return *static_cast<MetricsCgroupPlugin*>(self); }

// The target's fields this plugin reads (all of ABI 1): a smaller struct is a broken caller.
const tenon_metrics_target& targetOf(const tenon_metrics_target* target) {
  const tenon_metrics_target& t = argRequired(target, "target");
  if (t.struct_size < sizeof(tenon_metrics_target)) fail(TENON_INVALID_ARGUMENT, "tenon_metrics_target is too small");
  return t;
}

// Hands each sample to the C sink; its non-OK answer stops the walk and is what collect returns.
tenon_status sendSamples(const Samples& samples, tenon_metric_sink sink, void* ctx) {
  for (const Sample& s : samples) {
    std::vector<tenon_label> labels;
    for (const auto& [key, value] : s.labels) labels.push_back({key.c_str(), value.c_str()});
    tenon_metric_sample c{};
    c.struct_size = sizeof c;
    c.name = s.name.c_str();
    c.value = s.value;
    c.labels = {labels.data(), labels.size()};
    if (tenon_status status = sink(ctx, &c); status != TENON_OK) return status;
  }
  return TENON_OK;
}

tenon_status collect(void* self, const tenon_metrics_target* target, tenon_metric_sink sink, void* ctx,
                     tenon_error* err) {
  tenon_status stopped = TENON_OK;
  tenon_status status = guard(err, [&] {
    argRequired(sink, "sink");
    stopped = sendSamples(pluginOf(self).collect(targetOf(target)), sink, ctx);
  });
  return status == TENON_OK ? stopped : status;
}

tenon_status watchOom(void* self, const tenon_metrics_target* target, tenon_error* err) {
  return guard(err, [&] { pluginOf(self).watchOom(targetOf(target)); });
}

tenon_status unwatchOom(void* self, const char* ns, const char* id, tenon_error* err) {
  return guard(err, [&] { pluginOf(self).unwatchOom(ns, id); });
}

const tenon_metrics_service kMetricsService = {sizeof(tenon_metrics_service), collect, watchOom, unwatchOom};

}  // namespace

MetricsCgroupPlugin::MetricsCgroupPlugin(Host host)
    : watcher_([host](const std::string& ns, const std::string& id) {
                 host.publish(ns, "/tasks/oom", "{\"container_id\":" + jsonString(id) + "}");
               },
               [host](const std::string& message) { host.warn(message); }) {
  host.registerService(TENON_PLUGIN_METRICS, "cgroup", &kMetricsService, this);
  host.info(hierarchy_.unified() ? "reading cgroup v2 (unified)" : "reading cgroup v1 controllers");
}

}  // namespace tenon::metrics_cgroup

TENON_DEFINE_PLUGIN(tenon::metrics_cgroup::MetricsCgroupPlugin, TENON_PLUGIN_METRICS, "cgroup", METRICS_CGROUP_VERSION)
