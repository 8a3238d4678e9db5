// What the metrics-cgroup plugin reports: one Sample per value, named
// "<group>.<what>[_<unit>]". A value the running cgroup version (or kernel)
// does not have is left out, never reported as zero; so is a limit that is
// not set ("max" on v2, the page-counter maximum on v1).
//
//   name                        v1 source                                   v2 source
//   cpu.usage_ns                cpuacct.usage                               cpu.stat usage_usec
//   cpu.user_ns                 cpuacct.usage_user (cpuacct.stat user)      cpu.stat user_usec
//   cpu.system_ns               cpuacct.usage_sys (cpuacct.stat system)     cpu.stat system_usec
//   cpu.per_cpu_usage_ns{cpu}   cpuacct.usage_percpu                        -
//   cpu.periods                 cpu.stat nr_periods                         cpu.stat nr_periods
//   cpu.throttled_periods       cpu.stat nr_throttled                       cpu.stat nr_throttled
//   cpu.throttled_ns            cpu.stat throttled_time                     cpu.stat throttled_usec
//   cpu.limit_cpus              cpu.cfs_quota_us / cpu.cfs_period_us        cpu.max
//   memory.usage_bytes          memory.usage_in_bytes                       memory.current
//   memory.limit_bytes          memory.limit_in_bytes                       memory.max
//   memory.max_usage_bytes      memory.max_usage_in_bytes                   memory.peak (kernel 5.19+)
//   memory.rss_bytes            memory.stat total_rss                       -
//   memory.cache_bytes          memory.stat total_cache                     -
//   memory.anon_bytes           -                                           memory.stat anon
//   memory.file_bytes           -                                           memory.stat file
//   memory.failcnt              memory.failcnt                              -
//   memory.events.<key>         -                                           memory.events (low, high, max, oom, oom_kill...)
//   memory.oom_kills            memory.oom_control oom_kill (kernel 4.13+)  memory.events oom_kill
//   memory.memsw_usage_bytes    memory.memsw.usage_in_bytes (memory+swap)   -
//   memory.memsw_limit_bytes    memory.memsw.limit_in_bytes                 -
//   memory.swap_usage_bytes     -                                           memory.swap.current
//   memory.swap_limit_bytes     -                                           memory.swap.max
//   pids.current                pids.current                                pids.current
//   pids.limit                  pids.max                                    pids.max
//   blkio.read_bytes{device}    blkio.throttle.io_service_bytes_recursive   io.stat rbytes
//   blkio.write_bytes{device}   (Read / Write rows)                         io.stat wbytes
//   blkio.read_ops{device}      blkio.throttle.io_serviced_recursive        io.stat rios
//   blkio.write_ops{device}     (Read / Write rows)                         io.stat wios
// Labels: device="MAJOR:MINOR", cpu="N".
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tenon::metrics_cgroup {

struct Sample {
  std::string name;
  double value = 0;
  std::map<std::string, std::string> labels;

  friend bool operator==(const Sample&, const Sample&) = default;
};

using Samples = std::vector<Sample>;

}  // namespace tenon::metrics_cgroup
