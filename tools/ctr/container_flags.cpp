#include "container_flags.hpp"

#include <fmt/core.h>

#include <charconv>
#include <tenon/error.hpp>

#include "oci/mount_flag.hpp"

namespace tenon::ctr {

namespace {

int64_t parseBytes(const std::string& text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0)
    fail(TENON_INVALID_ARGUMENT, fmt::format("--memory-limit {:?}: expected a number of bytes", text));
  return value;
}

}  // namespace

void addContainerFlags(CLI::App& command, ContainerFlags& flags) {
  // The repeatable options take one value each (allow_extra_args(false)): a
  // vector option would otherwise swallow the image, id and command after it.
  command.add_option("--snapshotter", flags.snapshotter, "Snapshotter of the root filesystem")->capture_default_str();
  command.add_option("--runtime", flags.runtime, "Runtime plugin to run the container (default: the daemon's)");
  command.add_option("--platform", flags.platform, "Platform of the image to run (default: this host's)");
  command.add_flag("-t,--tty", flags.tty, "Give the process a terminal");
  command.add_option("--env", flags.env, "Set an environment variable (KEY=value), repeatable")
      ->allow_extra_args(false);
  command.add_option("--cwd", flags.cwd, "Working directory of the process");
  command.add_option("-u,--user", flags.user, "User to run as: uid, uid:gid, name or name:group");
  command.add_option("--mount", flags.mounts, "Add a mount: type=bind,src=/a,dst=/b,options=rbind:ro")
      ->allow_extra_args(false);
  command.add_option("--hostname", flags.hostname, "Hostname of the container");
  command.add_option("--entrypoint", flags.entrypoint, "Replace the image's entrypoint");
  command.add_flag("--net-host", flags.netHost, "Share the host's network namespace");
  command.add_option("--netns", flags.netns, "Join the network namespace at this path");
  command.add_flag("--privileged", flags.privileged, "All capabilities and devices, nothing masked");
  command.add_flag("--read-only", flags.readOnly, "Mount the root filesystem read-only");
  command.add_option("--memory-limit", flags.memoryLimit, "Memory limit in bytes");
  command.add_option("--cpus", flags.cpus, "CPUs the container may use (e.g. 1.5)")->check(CLI::PositiveNumber);
  command.add_option("--pids-limit", flags.pidsLimit, "Most processes the container may have")
      ->check(CLI::PositiveNumber);
  command.add_option("--label", flags.labels, "Label the container (key=value), repeatable")
      ->allow_extra_args(false);
}

oci::SpecOptions specOptions(const ContainerFlags& flags, const std::string& ns, const std::string& id,
                             const std::vector<std::string>& args) {
  oci::SpecOptions options;
  options.ns = ns;
  options.id = id;
  options.args = args;
  if (!flags.entrypoint.empty()) options.entrypoint = std::vector<std::string>{flags.entrypoint};
  options.env = flags.env;
  if (!flags.cwd.empty()) options.cwd = flags.cwd;
  if (!flags.user.empty()) options.user = flags.user;
  if (!flags.hostname.empty()) options.hostname = flags.hostname;
  for (const std::string& m : flags.mounts) options.mounts.push_back(oci::parseMountFlag(m));
  options.netHost = flags.netHost;
  options.netnsPath = flags.netns;
  options.privileged = flags.privileged;
  options.readOnly = flags.readOnly;
  options.terminal = flags.tty;
  if (!flags.memoryLimit.empty()) options.memoryLimit = parseBytes(flags.memoryLimit);
  if (flags.cpus > 0) options.cpus = flags.cpus;
  if (flags.pidsLimit > 0) options.pidsLimit = flags.pidsLimit;
  return options;
}

}  // namespace tenon::ctr
