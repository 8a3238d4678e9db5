// What a container gets unless the user says otherwise: containerd's default
// Linux spec (oci/spec.go, populateDefaultUnixSpec and WithDefaultUnixDevices),
// which is also what docker users expect.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <tenon/mount.hpp>

namespace tenon::oci {

// Files of /proc and /sys that leak host information or let a process poke
// the host kernel: masked (bind-mounted over with /dev/null or an empty tmpfs).
inline constexpr std::array<std::string_view, 10> kMaskedPaths{
    "/proc/acpi",        "/proc/asound",     "/proc/kcore",       "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/sys/firmware",     "/proc/scsi"};

// Host-wide kernel knobs under /proc: visible but read-only.
inline constexpr std::array<std::string_view, 5> kReadonlyPaths{
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};

// A character device the default device cgroup allows (read, write, mknod).
struct AllowedDevice {
  std::string_view name;  // for readers of this table; not in the spec
  int64_t major = 0;
  std::optional<int64_t> minor;  // none: every minor of `major`
};

inline constexpr std::array<AllowedDevice, 9> kDefaultDevices{{
    {"/dev/null", 1, 3},
    {"/dev/zero", 1, 5},
    {"/dev/full", 1, 7},
    {"/dev/random", 1, 8},
    {"/dev/urandom", 1, 9},
    {"/dev/tty", 5, 0},
    {"/dev/console", 5, 1},
    {"/dev/ptmx", 5, 2},
    {"/dev/pts/*", 136, std::nullopt},  // pseudo-terminals of the container's devpts
}};

// containerd's default RLIMIT_NOFILE, soft and hard: the runtime would
// otherwise pass on the daemon's own (often 1048576), which some programs
// loop over at start.
inline constexpr uint64_t kDefaultNofile = 1024;

// The kernel filesystems every container has: /proc, /dev (tmpfs), /dev/pts,
// /dev/shm, /dev/mqueue, /sys and /sys/fs/cgroup. /sys and /sys/fs/cgroup are
// read-only unless `writableSys` (--privileged).
std::vector<Mount> defaultMounts(bool writableSys);

}  // namespace tenon::oci
