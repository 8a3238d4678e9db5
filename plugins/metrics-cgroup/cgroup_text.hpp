// Parsers for the text formats of cgroup interface files, v1 and v2
// (Documentation/admin-guide/cgroup-v2.rst, "Interface Files": flat keyed,
// nested keyed, single values). Pure functions of the text, so that fixtures
// test them; readCgroupFile is the one place that touches the filesystem.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tenon::metrics_cgroup {

// The content of `dir/name`; nullopt when the file does not exist (a value
// this cgroup version or kernel lacks) or the cgroup is gone.
std::optional<std::string> readCgroupFile(const std::filesystem::path& dir, const std::string& name);

// A single unsigned value ("4096\n"); nullopt for "max" (v2's "no limit") or unparsable text.
std::optional<uint64_t> parseSingle(std::string_view text);

// "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control...).
std::map<std::string, uint64_t> parseFlatKeyed(std::string_view text);

// Space-separated values on one line (cpuacct.usage_percpu).
std::vector<uint64_t> parseSpaceSeparated(std::string_view text);

// One per-device value: device "8:0", key "Read"/"Write" (v1) or "rbytes"... (v2).
struct DeviceValue {
  std::string device;
  std::string key;
  uint64_t value = 0;
  friend bool operator==(const DeviceValue&, const DeviceValue&) = default;
};

// v1 blkio files: "8:0 Read 4096" lines; the "Total N" summary line is skipped.
std::vector<DeviceValue> parseBlkioV1(std::string_view text);

// v2 io.stat: "8:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0" lines.
std::vector<DeviceValue> parseIoStatV2(std::string_view text);

// v2 cpu.max "QUOTA PERIOD" as CPUs (QUOTA/PERIOD); nullopt for "max ...".
std::optional<double> parseCpuMax(std::string_view text);

}  // namespace tenon::metrics_cgroup
