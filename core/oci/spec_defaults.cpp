#include "oci/spec_defaults.hpp"

namespace tenon::oci {

std::vector<Mount> defaultMounts(bool writableSys) {
  const char* sysAccess = writableSys ? "rw" : "ro";
  return {
      {"proc", "proc", "/proc", {"nosuid", "noexec", "nodev"}},
      // strictatime: a tmpfs /dev keeps exact atimes, like devtmpfs does.
      {"tmpfs", "tmpfs", "/dev", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
      // newinstance: the container's own pty namespace, never the host's ptys;
      // gid=5 is the conventional "tty" group.
      {"devpts", "devpts", "/dev/pts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
      {"tmpfs", "shm", "/dev/shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
      {"mqueue", "mqueue", "/dev/mqueue", {"nosuid", "noexec", "nodev"}},
      {"sysfs", "sysfs", "/sys", {"nosuid", "noexec", "nodev", sysAccess}},
      {"cgroup", "cgroup", "/sys/fs/cgroup", {"nosuid", "noexec", "nodev", "relatime", sysAccess}},
  };
}

}  // namespace tenon::oci
