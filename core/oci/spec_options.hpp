// What the user asks of one container, on top of the image's defaults: the
// flags of `ctr run` (and the fields of the containers RPC) as plain values.
// Nothing here is validated until buildSpec/processSpec uses it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tenon/mount.hpp>

namespace tenon::oci {

struct SpecOptions {
  std::string ns;  // tenon namespace: part of the cgroup path
  std::string id;  // container id: the cgroup path's leaf, the default hostname

  // Replace the image's Cmd when not empty (`docker run IMAGE CMD...`).
  std::vector<std::string> args;
  // Replaces the image's Entrypoint and drops its Cmd, as `docker run --entrypoint`.
  std::optional<std::vector<std::string>> entrypoint;
  std::vector<std::string> env;     // "KEY=value", replacing the image's by key
  std::optional<std::string> cwd;   // absolute; the image's WorkingDir or "/" otherwise
  std::optional<std::string> user;  // resolveUser's syntax; the image's User otherwise
  std::optional<std::string> hostname;  // the container id otherwise
  std::vector<Mount> mounts;        // from parseMountFlag; replace defaults at the same target

  bool netHost = false;    // share the host's network namespace
  std::string netnsPath;   // join this network namespace (e.g. /var/run/netns/x)
  bool cgroupNs = false;   // a private cgroup namespace
  bool privileged = false; // all capabilities and devices, nothing masked, /sys writable
  bool readOnly = false;   // the root filesystem mounted read-only
  bool terminal = false;   // a TTY for the process (adds TERM=xterm unless set)

  std::optional<int64_t> memoryLimit;  // bytes
  std::optional<double> cpus;          // e.g. 1.5 → quota 150000 per 100000 µs
  std::optional<int64_t> pidsLimit;
};

}  // namespace tenon::oci
