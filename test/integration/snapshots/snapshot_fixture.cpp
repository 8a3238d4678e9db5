#include "snapshot_fixture.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace tenon::test {

DaemonOptions snapshotDaemonOptions() {
  DaemonOptions options = contentDaemonOptions();
  options.pluginFiles.push_back(kSnapshotOverlayPlugin);
  return options;
}


std::map<std::string, ListedSnapshot> listedSnapshots(const TestDaemon& daemon, const std::string& ns) {
  ProcessResult ls = ctrOk(daemon, {"-n", ns, "snapshots", "ls", "--format", "json"});
  std::map<std::string, ListedSnapshot> out;
  for (const auto& info : nlohmann::json::parse(ls.out))
    out[info.at("name").get<std::string>()] = {info.at("parent").get<std::string>(),
                                               info.at("kind").get<std::string>()};
  return out;
}

bool isMountPoint(const std::string& path) {
  std::ifstream mounts("/proc/self/mounts");
  std::string line;
  while (std::getline(mounts, line)) {
    std::istringstream fields(line);
    std::string source, target;
    fields >> source >> target;
    if (target == path) return true;
  }
  return false;
}

ShellMount::ShellMount(const TestDaemon& daemon, const std::string& target, const std::string& key,
                       const std::string& ns)
    : target_(target) {
  ProcessResult lines = ctrOk(daemon, {"-n", ns, "snapshots", "mounts", target, key});
  REQUIRE(lines.out.rfind("mount ", 0) == 0);
  ProcessResult mounted = runProcess({"sh", "-c", lines.out});
  REQUIRE_MESSAGE(mounted.status.code == 0, (lines.out + mounted.err));
  REQUIRE(isMountPoint(target_));
}

ShellMount::~ShellMount() {
  for (int i = 0; i < 8 && isMountPoint(target_); ++i) runProcess({"umount", target_});
  if (isMountPoint(target_)) runProcess({"umount", "-l", target_});
}

}  // namespace tenon::test
