// Capabilities of a container's process: containerd's default set, and what
// --privileged grants.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace tenon::oci {

// The capabilities of an unprivileged container: enough to be root in its own
// files (chown, setuid, bind low ports), nothing that reaches the host.
inline constexpr std::array<std::string_view, 14> kDefaultCapabilities{
    "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FSETID",  "CAP_FOWNER",           "CAP_MKNOD",
    "CAP_NET_RAW", "CAP_SETGID",      "CAP_SETUID",  "CAP_SETFCAP",          "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"};

// Every capability the kernel knows, in bit order (0..40, up to Linux 5.9's
// CAP_CHECKPOINT_RESTORE).
inline constexpr std::array<std::string_view, 41> kAllCapabilities{
    "CAP_CHOWN",          "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
    "CAP_FSETID",         "CAP_KILL",         "CAP_SETGID",          "CAP_SETUID",
    "CAP_SETPCAP",        "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",      "CAP_NET_RAW",      "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",     "CAP_SYS_RAWIO",    "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",      "CAP_SYS_ADMIN",    "CAP_SYS_BOOT",        "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",   "CAP_SYS_TIME",     "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
    "CAP_LEASE",          "CAP_AUDIT_WRITE",  "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",   "CAP_MAC_ADMIN",    "CAP_SYSLOG",          "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",  "CAP_AUDIT_READ",   "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE"};

// What --privileged grants: the capabilities of kAllCapabilities that the
// calling process holds in its effective set (containerd's
// WithAllCurrentCapabilities). On a root shell of a full host that is all of
// them; inside a restricted environment, asking for more than we hold would
// only make the runtime's capset() fail. Throws Error(INTERNAL) if capget fails.
std::vector<std::string> currentCapabilities();

}  // namespace tenon::oci
