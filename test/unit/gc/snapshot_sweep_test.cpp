// Garbage collection of snapshots over the real overlayfs plugin and a real
// metadata store: what a container, a lease or an image's label reaches stays
// with its parents; the rest goes, children first, records and plugin alike.
#include <doctest/doctest.h>

#include <thread>

#include "snapshot_gc_fixture.hpp"

using namespace tenon;
using namespace tenon::gc::test;

TEST_CASE("gc removes unreferenced active, view and committed snapshots, children before parents") {
  SnapshotWorld w;
  if (!w.ready()) return;
  w.commitChain("a", {"base", "mid"});
  w.overlay().prepare("a", "work", "mid");
  w.overlay().view("a", "look", "base");
  w.overlay().prepare("a", "lone", "");
  std::vector<std::string> all = {"base", "lone", "look", "mid", "work"};
  REQUIRE(w.keys("a") == all);

  gc::GcReport dry = w.collector->collect(true);
  CHECK(dry.dryRun);
  CHECK(dry.errors.empty());
  CHECK(dry.removed.size() == all.size());
  CHECK(w.keys("a") == all);  // a dry run removes nothing
  CHECK(w.pluginKeys().size() == all.size());

  gc::GcReport report = w.collector->collect(false);
  CHECK(report.errors.empty());
  CHECK(report.removed == dry.removed);
  const auto& removed = report.removed;
  CHECK(indexOf(removed, reported("a", "work")) < indexOf(removed, reported("a", "mid")));
  CHECK(indexOf(removed, reported("a", "mid")) < indexOf(removed, reported("a", "base")));
  CHECK(indexOf(removed, reported("a", "look")) < indexOf(removed, reported("a", "base")));
  CHECK(indexOf(removed, reported("a", "lone")) < removed.size());
  CHECK(w.keys("a").empty());
  CHECK(w.pluginKeys().empty());
  CHECK(w.collector->collect(false).removed.empty());
}

TEST_CASE("a container's snapshot, a lease's snapshot, a gc.root snapshot and an image's labelled chain stay with their parents") {
  SnapshotWorld w;
  if (!w.ready()) return;
  w.commitChain("a", {"layer1", "layer2", "layer3"});
  w.imageOnChain("a", "docker.io/library/x:1", "layer3");
  w.overlay().prepare("a", "unused-child", "layer3");  // on a kept chain, held by nothing
  w.commitChain("a", {"os"});
  w.overlay().prepare("a", "web-root", "os");
  w.container("a", "web", "web-root");
  w.lease("a", "build");
  w.overlay().prepare("a", "scratch", "", {}, "build");
  w.overlay().prepare("a", "stray", "");
  w.commitChain("a", {"base"});
  w.overlay().view("a", "rooted-view", "base", {{"tenon.io/gc.root", "kept"}});  // kept with its parent

  gc::GcReport report = w.collector->collect(false);
  CHECK(report.errors.empty());
  CHECK(report.removed == std::vector<std::string>{reported("a", "unused-child"), reported("a", "stray")});
  std::vector<std::string> kept = {"base", "layer1", "layer2", "layer3", "os", "rooted-view", "scratch", "web-root"};
  CHECK(w.keys("a") == kept);
  CHECK(w.pluginKeys().size() == kept.size());
  for (const char* key : {"web-root", "scratch", "rooted-view"}) CHECK_FALSE(w.overlay().mounts("a", key).empty());
}

TEST_CASE("a snapshot unreferenced in one namespace goes while the same key held in another stays") {
  SnapshotWorld w;
  if (!w.ready()) return;
  w.overlay().prepare("a", "shared", "");
  w.lease("b", "hold");
  w.overlay().prepare("b", "shared", "", {}, "hold");
  gc::GcReport report = w.collector->collect(false);
  CHECK(report.removed == std::vector<std::string>{reported("a", "shared")});
  CHECK(w.keys("a").empty());
  CHECK(w.keys("b") == std::vector<std::string>{"shared"});
  CHECK(w.pluginKeys() == std::set<std::string>{w.backingOf("b", "shared")});
}

TEST_CASE("a scheduled run removes unreferenced snapshots on the background thread") {
  SnapshotWorld w;
  if (!w.ready()) return;
  w.overlay().prepare("a", "later", "");
  w.collector->schedule();
  // The record goes first, the plugin's snapshot after: wait for both.
  auto gone = [&] { return w.keys("a").empty() && w.pluginKeys().empty(); };
  for (int i = 0; i < 100 && !gone(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(w.keys("a").empty());
  CHECK(w.pluginKeys().empty());
}

TEST_CASE("gc racing prepares on an unreferenced parent leaves no plugin snapshot without a record") {
  SnapshotWorld w;
  if (!w.ready()) return;
  w.commitChain("a", {"base"});
  std::thread preparing([&] {
    // Each either lands on the parent or is refused because GC took it first.
    for (int i = 0; i < 40; ++i) {
      try {
        w.overlay().prepare("a", "child-" + std::to_string(i), "base");
      } catch (const Error& e) {
        CHECK(e.code() == TENON_NOT_FOUND);
      }
    }
  });
  for (int i = 0; i < 40; ++i) CHECK(w.collector->collect(false).errors.empty());
  preparing.join();
  CHECK(w.collector->collect(false).errors.empty());
  CHECK(w.keys("a").empty());
  CHECK(w.pluginKeys().empty());
}

TEST_CASE("gc removes no snapshot while the metadata store is damaged") {
  SnapshotWorld w;
  if (!w.ready()) return;
  w.overlay().prepare("a", "unreferenced", "");
  std::set<std::string> before = w.pluginKeys();
  // The world's collector and snapshotters use the store: build new ones on the damaged reopening.
  w.collector.reset();
  w.snapshotters.clear();
  w.metadata.reset();
  writeRawRecord(w.plugin.dir / "metadata", "images", std::string("a\0x", 3), "{not json");
  auto damaged = metadata::MetadataStore::open(w.plugin.dir / "metadata");
  REQUIRE(damaged->damage());
  gc::Snapshotters snapshotters;
  snapshotters.emplace(kOverlay, snapshots::NamespacedSnapshotter(kOverlay, w.plugin.table(), *damaged));
  gc::GarbageCollector collector{*damaged, nullptr, snapshotters, w.logger, std::chrono::milliseconds(0)};
  CHECK(errorFrom([&] { collector.collect(false); }).code() == TENON_UNAVAILABLE);
  CHECK(errorFrom([&] { collector.collect(true); }).code() == TENON_UNAVAILABLE);
  CHECK(w.pluginKeys() == before);
}

namespace {
// The real overlayfs table, except that removing one chosen backing key fails.
const tenon_snapshotter_service* realTable = nullptr;
std::string unremovable;
tenon_status removeUnlessChosen(void* self, const char* key, tenon_error* err) {
  if (unremovable == key) return tenon_error_set(err, TENON_PERMISSION_DENIED, "read-only file system");
  return realTable->remove(self, key, err);
}
}  // namespace

TEST_CASE("a snapshot the plugin cannot remove is reported, the sweep goes on, and the next start removes it") {
  tenon_snapshotter_service failing{};  // outlives the world that calls it
  SnapshotWorld w([&](ServiceRef<tenon_snapshotter_service> real) {
    realTable = real.table;
    failing = *real.table;
    failing.remove = &removeUnlessChosen;
    return snapshots::SnapshotterTable({&failing, real.self});
  });
  if (!w.ready()) return;
  for (const char* key : {"one", "two", "three"}) w.overlay().prepare("a", key, "");
  unremovable = w.backingOf("a", "two");

  gc::GcReport report = w.collector->collect(false);
  REQUIRE(report.errors.size() == 1);
  CHECK(report.errors[0].starts_with(reported("a", "two") + ": "));
  CHECK(report.errors[0].find("read-only file system") != std::string::npos);
  CHECK(report.removed == std::vector<std::string>{reported("a", "one"), reported("a", "three")});
  CHECK(w.keys("a").empty());
  CHECK(w.pluginKeys() == std::set<std::string>{unremovable});

  unremovable.clear();
  std::vector<std::string> warnings;
  auto done = w.overlay().recover([&](const std::string& what) { warnings.push_back(what); });
  CHECK(done.strays == 1);
  CHECK(warnings.empty());
  CHECK(w.pluginKeys().empty());
}
