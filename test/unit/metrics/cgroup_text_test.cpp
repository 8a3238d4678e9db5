// The cgroup file parsers and the v1/v2 readers, on fixture files written as the kernel writes them.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "metrics-cgroup/cgroup_stats.hpp"
#include "metrics-cgroup/cgroup_text.hpp"
#include "temp_dir.hpp"

using namespace tenon::metrics_cgroup;

namespace {

// The value of sample `name` (with `labels`), nullopt when absent.
std::optional<double> valueOf(const Samples& samples, const std::string& name,
                              const std::map<std::string, std::string>& labels = {}) {
  auto found = std::find_if(samples.begin(), samples.end(),
                            [&](const Sample& s) { return s.name == name && s.labels == labels; });
  return found == samples.end() ? std::nullopt : std::optional<double>(found->value);
}

void writeFiles(const std::filesystem::path& dir, const std::map<std::string, std::string>& files) {
  std::filesystem::create_directories(dir);
  for (const auto& [name, text] : files) tenon::test::writeFile(dir / name, text);
}

}  // namespace

TEST_CASE("single values parse, and v2's max is no value") {
  CHECK(parseSingle("4096\n") == 4096u);
  CHECK_FALSE(parseSingle("max\n"));
  CHECK_FALSE(parseSingle("-1\n"));  // v1's "no quota"
  CHECK_FALSE(parseSingle(""));
}

TEST_CASE("flat keyed files parse by key, skipping malformed lines") {
  auto values = parseFlatKeyed("oom_kill_disable 0\nunder_oom 0\noom_kill 2\nbad line here\n");
  CHECK(values.size() == 3);
  CHECK(values["oom_kill"] == 2u);
}

TEST_CASE("v1 blkio rows skip the Total line; v2 io.stat splits key=value") {
  auto v1 = parseBlkioV1("8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 1\nTotal 12288\n");
  CHECK(v1.size() == 3);
  CHECK(v1[1] == DeviceValue{"8:0", "Write", 8192});
  auto v2 = parseIoStatV2("8:16 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0\n");
  CHECK(v2.size() == 6);
  CHECK(v2[2] == DeviceValue{"8:16", "rios", 3});
}

TEST_CASE("cpu.max gives CPUs, max gives none") {
  CHECK(parseCpuMax("50000 100000\n") == 0.5);
  CHECK_FALSE(parseCpuMax("max 100000\n"));
}

TEST_CASE("a v1 cgroup's samples come from each controller's directory") {
  tenon::test::TempDir dir("tenon-cgroup-v1");
  CgroupDirs dirs;
  for (const char* c : {"cpu", "cpuacct", "memory", "pids", "blkio"}) dirs.controllers[c] = dir.path() / c;
  writeFiles(dirs.controllers["cpuacct"], {{"cpuacct.usage", "3000\n"}, {"cpuacct.usage_percpu", "1000 2000 \n"},
                                           {"cpuacct.usage_user", "2000\n"}, {"cpuacct.usage_sys", "1000\n"}});
  writeFiles(dirs.controllers["cpu"], {{"cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 5000\n"},
                                       {"cpu.cfs_quota_us", "-1\n"}, {"cpu.cfs_period_us", "100000\n"}});
  writeFiles(dirs.controllers["memory"], {{"memory.usage_in_bytes", "65536\n"},
                                          {"memory.limit_in_bytes", "9223372036854771712\n"},
                                          {"memory.max_usage_in_bytes", "131072\n"},
                                          {"memory.stat", "cache 1\nrss 2\ntotal_cache 4096\ntotal_rss 8192\n"},
                                          {"memory.failcnt", "7\n"},
                                          {"memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n"}});
  writeFiles(dirs.controllers["pids"], {{"pids.current", "3\n"}, {"pids.max", "50\n"}});
  writeFiles(dirs.controllers["blkio"], {{"blkio.throttle.io_service_bytes_recursive", "8:0 Read 4096\n8:0 Write 0\nTotal 4096\n"},
                                         {"blkio.throttle.io_serviced_recursive", "8:0 Read 1\n8:0 Write 0\nTotal 1\n"}});
  Samples samples = readV1Stats(dirs);
  CHECK(valueOf(samples, "cpu.usage_ns") == 3000);
  CHECK(valueOf(samples, "cpu.per_cpu_usage_ns", {{"cpu", "1"}}) == 2000);
  CHECK(valueOf(samples, "cpu.user_ns") == 2000);
  CHECK(valueOf(samples, "cpu.throttled_periods") == 4);
  CHECK(valueOf(samples, "cpu.throttled_ns") == 5000);
  CHECK_FALSE(valueOf(samples, "cpu.limit_cpus"));     // quota -1: no limit
  CHECK_FALSE(valueOf(samples, "memory.limit_bytes"));  // the page counter's maximum: no limit
  CHECK(valueOf(samples, "memory.rss_bytes") == 8192);
  CHECK(valueOf(samples, "memory.failcnt") == 7);
  CHECK(valueOf(samples, "memory.oom_kills") == 1);
  CHECK_FALSE(valueOf(samples, "memory.memsw_usage_bytes"));  // no swap accounting
  CHECK_FALSE(valueOf(samples, "memory.anon_bytes"));         // a v2 value
  CHECK(valueOf(samples, "pids.current") == 3);
  CHECK(valueOf(samples, "pids.limit") == 50);
  CHECK(valueOf(samples, "blkio.read_bytes", {{"device", "8:0"}}) == 4096);
  CHECK(valueOf(samples, "blkio.read_ops", {{"device", "8:0"}}) == 1);
}

TEST_CASE("a v2 cgroup's samples come from its one directory, usec made ns") {
  tenon::test::TempDir dir("tenon-cgroup-v2");
  CgroupDirs dirs;
  dirs.unified = true;
  dirs.unifiedDir = dir.path();
  writeFiles(dir.path(), {{"cpu.stat", "usage_usec 3\nuser_usec 2\nsystem_usec 1\nnr_periods 5\nnr_throttled 1\nthrottled_usec 7\n"},
                          {"cpu.max", "150000 100000\n"},
                          {"memory.current", "65536\n"},
                          {"memory.max", "max\n"},
                          {"memory.stat", "anon 4096\nfile 8192\n"},
                          {"memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n"},
                          {"memory.swap.current", "0\n"},
                          {"pids.current", "4\n"},
                          {"pids.max", "max\n"},
                          {"io.stat", "8:0 rbytes=4096 wbytes=512 rios=1 wios=2 dbytes=0 dios=0\n"}});
  Samples samples = readV2Stats(dirs);
  CHECK(valueOf(samples, "cpu.usage_ns") == 3000);
  CHECK(valueOf(samples, "cpu.throttled_ns") == 7000);
  CHECK(valueOf(samples, "cpu.limit_cpus") == 1.5);
  CHECK_FALSE(valueOf(samples, "cpu.per_cpu_usage_ns", {{"cpu", "0"}}));  // v1 only
  CHECK_FALSE(valueOf(samples, "memory.limit_bytes"));
  CHECK_FALSE(valueOf(samples, "memory.max_usage_bytes"));  // no memory.peak before Linux 5.19
  CHECK_FALSE(valueOf(samples, "memory.failcnt"));          // v1 only
  CHECK(valueOf(samples, "memory.anon_bytes") == 4096);
  CHECK(valueOf(samples, "memory.events.max") == 3);
  CHECK(valueOf(samples, "memory.oom_kills") == 1);
  CHECK(valueOf(samples, "memory.swap_usage_bytes") == 0);  // present, and zero
  CHECK(valueOf(samples, "pids.current") == 4);
  CHECK_FALSE(valueOf(samples, "pids.limit"));
  CHECK(valueOf(samples, "blkio.write_bytes", {{"device", "8:0"}}) == 512);
  CHECK(valueOf(samples, "blkio.write_ops", {{"device", "8:0"}}) == 2);
}
