// The `linux.resources` part of an OCI runtime spec: the device cgroup and
// the user's memory, CPU and pids limits.
#pragma once

#include <nlohmann/json.hpp>

#include "oci/spec_options.hpp"

namespace tenon::oci {

// The CFS period `--cpus` is expressed against, in µs (docker's and the kernel's default).
inline constexpr int64_t kCpuPeriod = 100000;

// Devices: deny all, then allow kDefaultDevices (everything when privileged).
// memory.limit, cpu.quota/period (quota = cpus × kCpuPeriod) and pids.limit
// when set. Throws Error(INVALID_ARGUMENT) naming the flag for a limit that
// is not positive, or --cpus outside 0.01..1000000.
nlohmann::json linuxResources(const SpecOptions& options);

}  // namespace tenon::oci
