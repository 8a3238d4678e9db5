// Garbage collection of snapshots through ctr: `ctr gc` removes what nothing
// holds, namespace by namespace; a lease (given with ctr's global --lease, or
// with `ctr leases resources add`) holds its snapshots until it goes.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "snapshot_fixture.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

// Waits (up to 5 s) for the GC a deletion schedules to have removed `key`.
bool collectedSoon(const TestDaemon& daemon, const std::string& key, const std::string& ns = "default") {
  for (int i = 0; i < 100 && listedSnapshots(daemon, ns).count(key); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return !listedSnapshots(daemon, ns).count(key);
}

}  // namespace

TEST_CASE("ctr gc removes a snapshot nothing holds in one namespace and keeps the same key a lease holds in another") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();
  ctrOk(daemon, {"-n", "one", "snapshots", "prepare", "shared"});
  ctrOk(daemon, {"-n", "two", "leases", "create", "--id", "keep"});
  ctrOk(daemon, {"-n", "two", "--lease", "keep", "snapshots", "prepare", "shared"});
  CHECK(ctrOk(daemon, {"-n", "two", "leases", "resources", "ls", "-q", "keep"}).out == "snapshots/overlayfs shared\n");

  ProcessResult dry = ctrOk(daemon, {"gc", "--dry-run"});
  CHECK(dry.out == "would remove snapshot one overlayfs shared\n");
  CHECK(listedSnapshots(daemon, "one").count("shared") == 1);

  ProcessResult collected = ctrOk(daemon, {"gc"});
  CHECK(collected.out == "removed snapshot one overlayfs shared\n");
  CHECK(listedSnapshots(daemon, "one").empty());
  CHECK(listedSnapshots(daemon, "two") == std::map<std::string, ListedSnapshot>{{"shared", {"", "Active"}}});
  TempDir mnt{"tenon-snapshot-mnt"};
  ShellMount still(daemon, mnt.path(), "shared", "two");
}

TEST_CASE("a chain made under ctr --lease survives ctr gc until the lease is deleted") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();
  ctrOk(daemon, {"leases", "create", "--id", "build"});
  ctrOk(daemon, {"--lease", "build", "snapshots", "prepare", "layer-active"});
  ctrOk(daemon, {"--lease", "build", "snapshots", "commit", "layer", "layer-active"});
  ctrOk(daemon, {"--lease", "build", "snapshots", "view", "peek", "layer"});
  ctrOk(daemon, {"snapshots", "prepare", "loose", "layer"});
  // The commit moved the hold from the active key to the committed name.
  CHECK(ctrOk(daemon, {"leases", "resources", "ls", "-q", "build"}).out ==
        "snapshots/overlayfs layer\nsnapshots/overlayfs peek\n");

  CHECK(ctrOk(daemon, {"gc"}).out == "removed snapshot default overlayfs loose\n");
  CHECK(listedSnapshots(daemon) ==
        std::map<std::string, ListedSnapshot>{{"layer", {"", "Committed"}}, {"peek", {"layer", "View"}}});

  ctrOk(daemon, {"leases", "rm", "build"});  // schedules a collection
  CHECK(collectedSoon(daemon, "layer"));
  CHECK(listedSnapshots(daemon).empty());
}

TEST_CASE("ctr leases resources add and rm make a lease hold, then let go of, an existing snapshot") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();
  ctrOk(daemon, {"snapshots", "prepare", "adopted"});
  ctrOk(daemon, {"leases", "create", "--id", "late"});
  ProcessResult added = ctrOk(daemon, {"leases", "resources", "add", "late", "snapshots/overlayfs", "adopted"});
  CHECK(added.out == "snapshots/overlayfs adopted\n");
  ProcessResult listed = ctrOk(daemon, {"leases", "resources", "ls", "late"});
  CHECK(contains(listed.out, "TYPE"));
  CHECK(contains(listed.out, "snapshots/overlayfs"));
  CHECK(ctrOk(daemon, {"gc"}).out.empty());
  CHECK(listedSnapshots(daemon).count("adopted") == 1);

  ProcessResult bad = runCtr(daemon.address(), {"leases", "resources", "add", "late", "snapshots/", "adopted"});
  CHECK(bad.status.code != 0);
  CHECK(contains(bad.err, "snapshotter"));
  ProcessResult unknown = runCtr(daemon.address(), {"leases", "resources", "ls", "nope"});
  CHECK(unknown.status.code != 0);
  CHECK(contains(unknown.err, "not found"));

  ctrOk(daemon, {"leases", "resources", "rm", "late", "snapshots/overlayfs", "adopted"});  // schedules a collection
  CHECK(ctrOk(daemon, {"leases", "resources", "ls", "-q", "late"}).out.empty());
  CHECK(collectedSoon(daemon, "adopted"));
}

TEST_CASE("a snapshot under an unknown lease is refused and nothing is left behind") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();
  ProcessResult refused = runCtr(daemon.address(), {"--lease", "nope", "snapshots", "prepare", "k"});
  CHECK(refused.status.code != 0);
  CHECK(contains(refused.err, "nope"));
  CHECK(listedSnapshots(daemon).empty());
  ctrOk(daemon, {"snapshots", "prepare", "k"});  // the key was not taken
}
