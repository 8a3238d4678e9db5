#include "metrics/prometheus_text.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

namespace tenon::metrics {

namespace {

// Samples that only grow (the plugin's counters): Prometheus counters.
bool isCounter(const std::string& name) {
  static const char* const kCounters[] = {"cpu.usage_ns", "cpu.user_ns", "cpu.system_ns", "cpu.per_cpu_usage_ns",
                                          "cpu.periods", "cpu.throttled_periods", "cpu.throttled_ns",
                                          "memory.failcnt", "memory.oom_kills"};
  for (const char* counter : kCounters)
    if (name == counter) return true;
  return name.starts_with("memory.events.") || name.starts_with("blkio.");
}

struct Family {
  std::string name;
  bool counter = false;
  double scale = 1;
};

// The family a sample belongs to: a valid metric name in base units.
Family familyOf(const std::string& sample) {
  Family family{"container_", isCounter(sample), 1};
  std::string name = sample;
  if (name.ends_with("_ns")) {
    name = name.substr(0, name.size() - 3) + "_seconds";
    family.scale = 1e-9;
  }
  for (char c : name) family.name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (family.counter) family.name += "_total";
  return family;
}

std::string escapeLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string labelName(const std::string& key) {
  std::string out;
  for (char c : key) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out.empty() || std::isdigit(static_cast<unsigned char>(out[0])) ? "_" + out : out;
}

std::string formatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

std::string seriesLine(const std::string& family, const TaskMetrics& task, const Sample& sample, double scale) {
  std::string labels = fmt::format("namespace=\"{}\",container_id=\"{}\"", escapeLabel(task.ns), escapeLabel(task.containerId));
  for (const auto& [key, value] : sample.labels) labels += fmt::format(",{}=\"{}\"", labelName(key), escapeLabel(value));
  return fmt::format("{}{{{}}} {}\n", family, labels, formatValue(sample.value * scale));
}

}  // namespace

std::string prometheusText(const std::vector<TaskMetrics>& tasks) {
  // Every series of a family must follow its one HELP/TYPE header: group first.
  struct Group {
    Family family;
    std::string sampleName;
    std::string lines;
  };
  std::map<std::string, Group> groups;
  for (const TaskMetrics& task : tasks)
    for (const Sample& sample : task.samples) {
      Family family = familyOf(sample.name);
      Group& group = groups.try_emplace(family.name, Group{family, sample.name, ""}).first->second;
      group.lines += seriesLine(family.name, task, sample, family.scale);
    }
  std::string out;
  for (const auto& [name, group] : groups) {
    out += fmt::format("# HELP {} The container's cgroup value {}{}.\n", name, group.sampleName,
                       group.family.scale != 1 ? ", in seconds" : "");
    out += fmt::format("# TYPE {} {}\n", name, group.family.counter ? "counter" : "gauge");
    out += group.lines;
  }
  return out;
}

}  // namespace tenon::metrics
