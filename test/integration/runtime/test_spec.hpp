// A minimal valid OCI runtime spec for tests, written here so that the tests
// depend on nothing but the plugin (the core's spec generator is separate).
// Like `runc spec`, minus the capabilities a busybox test does not need.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tenon::runtime_test {

// An OCI `process` running `args` (as root, PATH=/bin, cwd /).
inline nlohmann::json testProcess(const std::vector<std::string>& args, bool terminal = false) {
  std::vector<std::string> caps{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  return {{"terminal", terminal},
          {"user", {{"uid", 0}, {"gid", 0}}},
          {"args", args},
          {"env", {"PATH=/bin", "TERM=xterm"}},
          {"cwd", "/"},
          {"capabilities", {{"bounding", caps}, {"effective", caps}, {"permitted", caps}}},
          {"rlimits", {{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}}},
          {"noNewPrivileges", true}};
}

// A spec running `args` in fresh namespaces on a read-only root; no
// cgroupsPath, so the runtime picks one per task.
inline std::string testSpec(const std::vector<std::string>& args, bool terminal = false) {
  nlohmann::json mounts = nlohmann::json::array({
      {{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
      {{"destination", "/dev"},
       {"type", "tmpfs"},
       {"source", "tmpfs"},
       {"options", {"nosuid", "strictatime", "mode=755", "size=65536k"}}},
      {{"destination", "/dev/pts"},
       {"type", "devpts"},
       {"source", "devpts"},
       {"options", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}}},
      {{"destination", "/dev/shm"},
       {"type", "tmpfs"},
       {"source", "shm"},
       {"options", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}}},
      {{"destination", "/sys"},
       {"type", "sysfs"},
       {"source", "sysfs"},
       {"options", {"nosuid", "noexec", "nodev", "ro"}}},
  });
  nlohmann::json namespaces = nlohmann::json::array();
  for (const char* type : {"pid", "network", "ipc", "uts", "mount"}) namespaces.push_back({{"type", type}});
  nlohmann::json spec = {
      {"ociVersion", "1.0.2"},
      {"process", testProcess(args, terminal)},
      {"root", {{"path", "rootfs"}, {"readonly", true}}},
      {"hostname", "tenon-test"},
      {"mounts", mounts},
      {"linux",
       {{"namespaces", namespaces},
        {"maskedPaths", {"/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"}},
        {"readonlyPaths", {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}}}},
  };
  return spec.dump();
}

}  // namespace tenon::runtime_test
