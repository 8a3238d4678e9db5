// tenond brings snapshot records and the snapshotter back in step when it
// starts: a plugin snapshot no record names (what a crash between the two
// leaves) and a record whose plugin snapshot is gone are both removed, and
// what ctr lists afterwards is exactly what the plugin holds.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include "plugins/plugin_set.hpp"
#include "snapshot_fixture.hpp"
#include "snapshots/snapshotter_table.hpp"
#include "text_lines.hpp"

using namespace tenon;
using namespace tenon::test;

namespace {

// The overlayfs plugin loaded in this process on a stopped daemon's root and
// state, as tenond loads it: to change what it holds behind the records' back.
class OfflineSnapshotter {
 public:
  explicit OfflineSnapshotter(const TestDaemon& daemon) {
    REQUIRE_FALSE(daemon.running());
    plugins_.load({{}, {kSnapshotOverlayPlugin}, {}, daemon.root(), daemon.state()});
    REQUIRE(plugins_.plugins().size() == 1);
    REQUIRE_MESSAGE(plugins_.plugins()[0].state == plugins::PluginState::loaded, plugins_.plugins()[0].error);
  }
  snapshots::SnapshotterTable table() const {
    return snapshots::SnapshotterTable(registry_.get<tenon_snapshotter_service>("overlayfs"));
  }
  // The plugin's own keys (the records' backing keys).
  std::set<std::string> keys() const {
    std::set<std::string> out;
    table().walk([&](const snapshots::SnapshotInfo& info) { out.insert(info.name); });
    return out;
  }

 private:
  // Closed only after the plugins, which log, are finalised (members go in reverse).
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> logFile_{std::fopen("/dev/null", "w"), &std::fclose};
  log::Logger logger_{log::Level::error, logFile_.get()};
  plugins::ServiceRegistry registry_;
  plugins::PluginSet plugins_{registry_, logger_, plugins::EventPublisher{}};
};

// The backing key of namespace `ns`'s snapshot `key`: tenond makes them "<ns>/<random>/<key>".
std::string backingKeyOf(const std::set<std::string>& keys, const std::string& ns, const std::string& key) {
  auto found = std::find_if(keys.begin(), keys.end(), [&](const std::string& k) {
    return k.starts_with(ns + "/") && k.ends_with("/" + key);
  });
  REQUIRE(found != keys.end());
  return *found;
}

}  // namespace

TEST_CASE("a stray plugin snapshot and a record without its snapshot are gone after a restart") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();
  ctrOk(daemon, {"snapshots", "prepare", "base-active"});
  ctrOk(daemon, {"snapshots", "commit", "base", "base-active"});
  ctrOk(daemon, {"snapshots", "prepare", "kept", "base"});
  ctrOk(daemon, {"snapshots", "prepare", "lost"});
  REQUIRE(daemon.stop().code == 0);
  {
    OfflineSnapshotter plugin(daemon);
    std::set<std::string> keys = plugin.keys();
    REQUIRE(keys.size() == 3);
    plugin.table().prepare("default/ffffffffffffffff/stray", "");       // no record names it
    plugin.table().prepare("default/eeeeeeeeeeeeeeee/stray-child",        // nor this, on a recorded parent
                           backingKeyOf(keys, "default", "base"));
    plugin.table().remove(backingKeyOf(keys, "default", "lost"));       // behind its record's back
  }

  daemon.start();
  std::map<std::string, ListedSnapshot> expected = {{"base", {"", "Committed"}}, {"kept", {"base", "Active"}}};
  CHECK(listedSnapshots(daemon) == expected);
  // Read once tenond has answered: its socket accepts (into the backlog) before recovery runs.
  std::string log = daemon.log();
  INFO("tenond log:\n" << log);
  CHECK(contains(log, "snapshots recovered"));
  CHECK(contains(log, "strays_removed=2"));
  CHECK(contains(log, "records_removed=1"));
  {
    TempDir mnt{"tenon-snapshot-mnt"};
    ShellMount kept(daemon, mnt.path(), "kept");
  }
  ctrOk(daemon, {"snapshots", "prepare", "lost"});  // the name is free again
  ctrOk(daemon, {"snapshots", "rm", "lost"});

  REQUIRE(daemon.stop().code == 0);
  OfflineSnapshotter plugin(daemon);
  std::set<std::string> keys = plugin.keys();
  CHECK(keys.size() == expected.size());
  for (const std::string& key : keys) CHECK_FALSE(contains(key, "stray"));
}
