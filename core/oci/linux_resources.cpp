#include "oci/linux_resources.hpp"

#include <fmt/format.h>

#include <cmath>
#include <tenon/error.hpp>

#include "oci/spec_defaults.hpp"

namespace tenon::oci {

namespace {

using Json = nlohmann::json;

// Below 0.01 CPU the quota would be under the kernel's 1 ms minimum; the upper
// bound keeps it far inside the kernel's 2^44 µs maximum.
constexpr double kMinCpus = 0.01;
constexpr double kMaxCpus = 1e6;

[[noreturn]] void badLimit(std::string_view flag, std::string_view value, std::string_view why) {
  fail(TENON_INVALID_ARGUMENT, fmt::format("invalid {} {}: {}", flag, value, why));
}

Json deviceRules(bool privileged) {
  if (privileged) return Json::array({{{"allow", true}, {"access", "rwm"}}});
  Json rules = Json::array({{{"allow", false}, {"access", "rwm"}}});
  for (const AllowedDevice& device : kDefaultDevices) {
    Json rule{{"allow", true}, {"type", "c"}, {"major", device.major}, {"access", "rwm"}};
    if (device.minor) rule["minor"] = *device.minor;
    rules.push_back(std::move(rule));
  }
  return rules;
}

Json cpuLimit(double cpus) {
  if (!std::isfinite(cpus) || cpus < kMinCpus || cpus > kMaxCpus)
    badLimit("--cpus", fmt::format("{}", cpus), fmt::format("must be from {} to {}", kMinCpus, kMaxCpus));
  return {{"quota", std::llround(cpus * kCpuPeriod)}, {"period", kCpuPeriod}};
}

int64_t positive(std::string_view flag, int64_t value) {
  if (value <= 0) badLimit(flag, std::to_string(value), "must be positive");
  return value;
}

}  // namespace

Json linuxResources(const SpecOptions& options) {
  Json resources{{"devices", deviceRules(options.privileged)}};
  if (options.memoryLimit) resources["memory"] = {{"limit", positive("--memory-limit", *options.memoryLimit)}};
  if (options.cpus) resources["cpu"] = cpuLimit(*options.cpus);
  if (options.pidsLimit) resources["pids"] = {{"limit", positive("--pids-limit", *options.pidsLimit)}};
  return resources;
}

}  // namespace tenon::oci
