// cgroup v2 (Documentation/admin-guide/cgroup-v2.rst): one directory, every controller.
#include "cgroup_stats.hpp"
#include "cgroup_text.hpp"

namespace tenon::metrics_cgroup {

namespace {

using std::filesystem::path;

std::optional<uint64_t> single(const path& dir, const std::string& name) {
  auto text = readCgroupFile(dir, name);
  return text ? parseSingle(*text) : std::nullopt;  // "max" (no limit) gives no sample
}

std::map<std::string, uint64_t> flat(const path& dir, const std::string& name) {
  auto text = readCgroupFile(dir, name);
  return text ? parseFlatKeyed(*text) : std::map<std::string, uint64_t>{};
}

std::optional<uint64_t> usecToNs(std::optional<uint64_t> usec) {
  return usec ? std::optional<uint64_t>(*usec * 1000) : std::nullopt;
}

void addCpu(Samples& out, const path& dir) {
  auto stat = flat(dir, "cpu.stat");
  addSample(out, "cpu.usage_ns", usecToNs(keyed(stat, "usage_usec")));
  addSample(out, "cpu.user_ns", usecToNs(keyed(stat, "user_usec")));
  addSample(out, "cpu.system_ns", usecToNs(keyed(stat, "system_usec")));
  // nr_* and throttled_usec exist only once the cpu controller is enabled for the cgroup.
  addSample(out, "cpu.periods", keyed(stat, "nr_periods"));
  addSample(out, "cpu.throttled_periods", keyed(stat, "nr_throttled"));
  addSample(out, "cpu.throttled_ns", usecToNs(keyed(stat, "throttled_usec")));
  if (auto text = readCgroupFile(dir, "cpu.max")) addSample(out, "cpu.limit_cpus", parseCpuMax(*text));
}

void addMemory(Samples& out, const path& dir) {
  addSample(out, "memory.usage_bytes", single(dir, "memory.current"));
  addSample(out, "memory.limit_bytes", single(dir, "memory.max"));
  addSample(out, "memory.max_usage_bytes", single(dir, "memory.peak"));
  auto stat = flat(dir, "memory.stat");
  addSample(out, "memory.anon_bytes", keyed(stat, "anon"));
  addSample(out, "memory.file_bytes", keyed(stat, "file"));
  auto events = flat(dir, "memory.events");
  for (const auto& [key, value] : events) addSample(out, "memory.events." + key, std::optional(value));
  addSample(out, "memory.oom_kills", keyed(events, "oom_kill"));
  addSample(out, "memory.swap_usage_bytes", single(dir, "memory.swap.current"));
  addSample(out, "memory.swap_limit_bytes", single(dir, "memory.swap.max"));
}

void addIo(Samples& out, const path& dir) {
  static const std::map<std::string, std::string> kNames = {
      {"rbytes", "blkio.read_bytes"}, {"wbytes", "blkio.write_bytes"}, {"rios", "blkio.read_ops"}, {"wios", "blkio.write_ops"}};
  auto text = readCgroupFile(dir, "io.stat");
  if (!text) return;
  for (const DeviceValue& v : parseIoStatV2(*text))
    if (auto name = kNames.find(v.key); name != kNames.end())
      addSample(out, name->second, std::optional(v.value), {{"device", v.device}});
}

}  // namespace

Samples readV2Stats(const CgroupDirs& dirs) {
  Samples out;
  addCpu(out, dirs.unifiedDir);
  addMemory(out, dirs.unifiedDir);
  addSample(out, "pids.current", single(dirs.unifiedDir, "pids.current"));
  addSample(out, "pids.limit", single(dirs.unifiedDir, "pids.max"));
  addIo(out, dirs.unifiedDir);
  return out;
}

}  // namespace tenon::metrics_cgroup
