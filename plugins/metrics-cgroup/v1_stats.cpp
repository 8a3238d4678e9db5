// cgroup v1 (Documentation/admin-guide/cgroup-v1/): one hierarchy per controller.
#include <unistd.h>

#include "cgroup_stats.hpp"
#include "cgroup_text.hpp"

namespace tenon::metrics_cgroup {

namespace {

using std::filesystem::path;

// v1 writes "no limit" as the page counter's maximum (PAGE_COUNTER_MAX pages,
// 0x7ffffffffffff000 bytes with 4 KiB pages); anything this large is no limit.
constexpr uint64_t kNoLimit = uint64_t{1} << 62;

std::optional<uint64_t> single(const path& dir, const std::string& name) {
  if (dir.empty()) return std::nullopt;
  auto text = readCgroupFile(dir, name);
  return text ? parseSingle(*text) : std::nullopt;
}

std::map<std::string, uint64_t> flat(const path& dir, const std::string& name) {
  if (dir.empty()) return {};
  auto text = readCgroupFile(dir, name);
  return text ? parseFlatKeyed(*text) : std::map<std::string, uint64_t>{};
}

std::optional<uint64_t> limit(std::optional<uint64_t> value) {
  return value && *value < kNoLimit ? value : std::nullopt;
}

std::optional<uint64_t> scaled(std::optional<uint64_t> value, uint64_t factor) {
  return value ? std::optional<uint64_t>(*value * factor) : std::nullopt;
}

void addCpuacct(Samples& out, const path& dir) {
  addSample(out, "cpu.usage_ns", single(dir, "cpuacct.usage"));
  // cpuacct.usage_user/_sys (Linux 4.7+) are in ns; cpuacct.stat, older, in USER_HZ ticks.
  auto ticks = flat(dir, "cpuacct.stat");
  uint64_t nsPerTick = 1'000'000'000 / static_cast<uint64_t>(::sysconf(_SC_CLK_TCK));
  auto user = single(dir, "cpuacct.usage_user");
  auto system = single(dir, "cpuacct.usage_sys");
  addSample(out, "cpu.user_ns", user ? user : scaled(keyed(ticks, "user"), nsPerTick));
  addSample(out, "cpu.system_ns", system ? system : scaled(keyed(ticks, "system"), nsPerTick));
  if (auto text = dir.empty() ? std::nullopt : readCgroupFile(dir, "cpuacct.usage_percpu")) {
    std::vector<uint64_t> perCpu = parseSpaceSeparated(*text);
    for (size_t cpu = 0; cpu < perCpu.size(); ++cpu)
      addSample(out, "cpu.per_cpu_usage_ns", std::optional(perCpu[cpu]), {{"cpu", std::to_string(cpu)}});
  }
}

void addCpu(Samples& out, const path& dir) {
  auto stat = flat(dir, "cpu.stat");
  addSample(out, "cpu.periods", keyed(stat, "nr_periods"));
  addSample(out, "cpu.throttled_periods", keyed(stat, "nr_throttled"));
  addSample(out, "cpu.throttled_ns", keyed(stat, "throttled_time"));
  // A quota of -1 (no limit) does not parse as unsigned: no sample.
  auto quota = single(dir, "cpu.cfs_quota_us");
  auto period = single(dir, "cpu.cfs_period_us");
  if (quota && period && *period > 0)
    addSample(out, "cpu.limit_cpus", std::optional(static_cast<double>(*quota) / static_cast<double>(*period)));
}

void addMemory(Samples& out, const path& dir) {
  addSample(out, "memory.usage_bytes", single(dir, "memory.usage_in_bytes"));
  addSample(out, "memory.limit_bytes", limit(single(dir, "memory.limit_in_bytes")));
  addSample(out, "memory.max_usage_bytes", single(dir, "memory.max_usage_in_bytes"));
  // total_* include the task's child cgroups, as the usage above does.
  auto stat = flat(dir, "memory.stat");
  addSample(out, "memory.rss_bytes", keyed(stat, "total_rss"));
  addSample(out, "memory.cache_bytes", keyed(stat, "total_cache"));
  addSample(out, "memory.failcnt", single(dir, "memory.failcnt"));
  addSample(out, "memory.oom_kills", keyed(flat(dir, "memory.oom_control"), "oom_kill"));
  // Present only with swap accounting (swapaccount=1).
  addSample(out, "memory.memsw_usage_bytes", single(dir, "memory.memsw.usage_in_bytes"));
  addSample(out, "memory.memsw_limit_bytes", limit(single(dir, "memory.memsw.limit_in_bytes")));
}

void addPids(Samples& out, const path& dir) {
  addSample(out, "pids.current", single(dir, "pids.current"));
  addSample(out, "pids.limit", single(dir, "pids.max"));  // "max" is no limit: no sample
}

// Read/Write rows of a blkio file as `<prefix>read_<unit>` and `<prefix>write_<unit>` per device.
void addBlkioFile(Samples& out, const path& dir, const std::string& file, const std::string& unit) {
  auto text = dir.empty() ? std::nullopt : readCgroupFile(dir, file);
  if (!text) return;
  for (const DeviceValue& v : parseBlkioV1(*text)) {
    if (v.key == "Read" || v.key == "Write")
      addSample(out, "blkio." + std::string(v.key == "Read" ? "read_" : "write_") + unit, std::optional(v.value),
                {{"device", v.device}});
  }
}

}  // namespace

Samples readV1Stats(const CgroupDirs& dirs) {
  Samples out;
  addCpuacct(out, dirs.dirOf("cpuacct"));
  addCpu(out, dirs.dirOf("cpu"));
  addMemory(out, dirs.dirOf("memory"));
  addPids(out, dirs.dirOf("pids"));
  // The throttle files count every request; the CFQ-only blkio.io_* ones are empty under other schedulers.
  addBlkioFile(out, dirs.dirOf("blkio"), "blkio.throttle.io_service_bytes_recursive", "bytes");
  addBlkioFile(out, dirs.dirOf("blkio"), "blkio.throttle.io_serviced_recursive", "ops");
  return out;
}

}  // namespace tenon::metrics_cgroup
