// Snapshots outlive the daemon: a chain committed through ctr is listed with
// its parents and mountable after tenond stops cleanly (SIGTERM) or is killed
// (SIGKILL); and many clients preparing at once all get their snapshots.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>

#include "snapshot_fixture.hpp"

using namespace tenon::test;

namespace {

// Three layers, each adding "<name>.txt", then an active snapshot on the top and a view of the middle.
void buildChain(const TestDaemon& daemon, const TempDir& mnt) {
  std::string parent;
  for (std::string layer : {"layer1", "layer2", "layer3"}) {
    std::vector<std::string> prepare = {"snapshots", "prepare", layer + "-active"};
    if (!parent.empty()) prepare.push_back(parent);
    ctrOk(daemon, prepare);
    std::filesystem::create_directory(mnt / layer);
    {
      ShellMount mount(daemon, mnt / layer, layer + "-active");
      writeFile(mnt / (layer + "/" + layer + ".txt"), layer + "\n");
    }
    ctrOk(daemon, {"snapshots", "commit", layer, layer + "-active"});
    parent = layer;
  }
  ctrOk(daemon, {"snapshots", "prepare", "top", "layer3"});
  ctrOk(daemon, {"snapshots", "view", "peek", "layer2"});
}

void checkChain(const TestDaemon& daemon, const TempDir& mnt) {
  std::map<std::string, ListedSnapshot> expected = {{"layer1", {"", "Committed"}},
                                                    {"layer2", {"layer1", "Committed"}},
                                                    {"layer3", {"layer2", "Committed"}},
                                                    {"top", {"layer3", "Active"}},
                                                    {"peek", {"layer2", "View"}}};
  CHECK(listedSnapshots(daemon) == expected);
  std::filesystem::create_directories(mnt / "top");
  std::filesystem::create_directories(mnt / "peek");
  ShellMount top(daemon, mnt / "top", "top");
  ShellMount peek(daemon, mnt / "peek", "peek");
  for (std::string layer : {"layer1", "layer2", "layer3"})
    CHECK(readFile(mnt / ("top/" + layer + ".txt")) == layer + "\n");
  CHECK(readFile(mnt / "peek/layer2.txt") == "layer2\n");
  CHECK_FALSE(std::filesystem::exists(mnt / "peek/layer3.txt"));
}

}  // namespace

TEST_CASE("a committed chain, an active snapshot and a view survive a clean stop and a kill") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();
  TempDir mnt{"tenon-snapshot-mnt"};
  buildChain(daemon, mnt);
  checkChain(daemon, mnt);

  ExitStatus stopped = daemon.stop();
  CHECK(stopped.code == 0);
  daemon.start();
  checkChain(daemon, mnt);

  daemon.kill9();
  daemon.start();
  checkChain(daemon, mnt);
  // What survived is as usable as before: a new layer on the old chain.
  ctrOk(daemon, {"snapshots", "commit", "layer4", "top"});
  CHECK(listedSnapshots(daemon)["layer4"] == ListedSnapshot{"layer3", "Committed"});
}

TEST_CASE("sixteen clients preparing distinct keys at once all succeed, and all are listed") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();
  ctrOk(daemon, {"snapshots", "prepare", "base-active"});
  ctrOk(daemon, {"snapshots", "commit", "base", "base-active"});
  TempDir logs{"tenon-ctr-logs"};
  constexpr int kClients = 16;
  std::vector<std::unique_ptr<BackgroundProcess>> clients;
  for (int i = 0; i < kClients; ++i) {
    // Half on the shared parent, half on none: both paths of prepare at once.
    std::vector<std::string> argv = {kCtr, "--address", daemon.address(), "snapshots", "prepare",
                                     "client-" + std::to_string(i)};
    if (i % 2 == 0) argv.push_back("base");
    std::vector<std::string> env = {"TENON_ADDRESS", "TENON_NAMESPACE"};  // unset: argv says it all
    clients.push_back(std::make_unique<BackgroundProcess>(argv, env, logs / ("client-" + std::to_string(i))));
  }
  for (int i = 0; i < kClients; ++i) {
    std::optional<ExitStatus> status = clients[i]->waitFor(std::chrono::seconds(60));
    REQUIRE(status.has_value());
    CHECK_MESSAGE(status->code == 0, readFile(logs / ("client-" + std::to_string(i))));
  }
  std::map<std::string, ListedSnapshot> listed = listedSnapshots(daemon);
  CHECK(listed.size() == kClients + 1);
  for (int i = 0; i < kClients; ++i)
    CHECK(listed["client-" + std::to_string(i)] == ListedSnapshot{i % 2 == 0 ? "base" : "", "Active"});
}
