// The flags `ctr run` and `ctr containers create` share (containerd's names):
// what the container runs and how, turned into the spec generator's options.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

#include "oci/spec_options.hpp"

namespace tenon::ctr {

struct ContainerFlags {
  std::string snapshotter = "overlayfs";
  std::string runtime;  // "" = the daemon's default
  std::string platform; // "" = this host's
  std::vector<std::string> env, mounts, labels;
  std::string cwd, user, hostname, netns, entrypoint;
  bool tty = false, netHost = false, privileged = false, readOnly = false;
  std::string memoryLimit;  // bytes
  double cpus = 0;
  int64_t pidsLimit = 0;
};

void addContainerFlags(CLI::App& command, ContainerFlags& flags);

// The spec generator's options for container `id` in namespace `ns`
// running `args` (empty: the image's command). Throws invalid_argument.
oci::SpecOptions specOptions(const ContainerFlags& flags, const std::string& ns, const std::string& id,
                             const std::vector<std::string>& args);

}  // namespace tenon::ctr
