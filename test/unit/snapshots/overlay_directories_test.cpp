// The overlay snapshotter's directories: one per snapshot under snapshots/,
// gone with the snapshot, and what a crash leaves (a directory no record
// names, a temporary) removed by cleanup and at init, records untouched.
#include <doctest/doctest.h>

#include <set>

#include "snapshotter_fixture.hpp"

using namespace tenon;
using namespace tenon::snapshots;
using namespace tenon::snapshots::test;

namespace {

SnapshotterPlugin overlay() { return snapshotterPlugin("overlayfs"); }

std::set<std::string> entries(const stdfs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : stdfs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

// A crash's leftovers: a directory for an id no record has, and a half-made temporary.
void makeStrays(const stdfs::path& snapshots) {
  stdfs::create_directories(snapshots / "999" / "fs" / "etc");
  writeFile(snapshots / "999" / "fs" / "etc" / "passwd", "stray");
  stdfs::create_directories(snapshots / ".tmp-new-5" / "fs");
  stdfs::create_directories(snapshots / "0042");  // not how this plugin names an id
}

}  // namespace

TEST_CASE("overlay: each snapshot has its directory, and remove deletes it") {
  Snapshotter s(overlay());
  REQUIRE(s.loaded());
  SnapshotterTable t = s.table();
  t.prepare("a", "");
  t.commit("base", "a");
  t.prepare("active", "base");
  t.view("v", "base");
  stdfs::path snapshots = s.root() / "snapshots";
  CHECK(entries(snapshots) == std::set<std::string>{"1", "2", "3"});
  CHECK(stdfs::is_directory(snapshots / "2" / "work"));  // active: upper and work
  CHECK_FALSE(stdfs::exists(snapshots / "3" / "work"));  // a view writes nothing
  CHECK(stdfs::is_directory(s.root() / "metadata.db"));

  t.remove("v");
  t.remove("active");
  CHECK(entries(snapshots) == std::set<std::string>{"1"});
  t.remove("base");
  CHECK(entries(snapshots).empty());
}

TEST_CASE("overlay: cleanup removes directories no record names, and leaves the rest") {
  Snapshotter s(overlay());
  REQUIRE(s.loaded());
  s.table().prepare("a", "");
  s.table().commit("base", "a");
  s.table().prepare("child", "base");
  stdfs::path snapshots = s.root() / "snapshots";
  makeStrays(snapshots);
  s.table().cleanup();
  CHECK(entries(snapshots) == std::set<std::string>{"1", "2"});
  CHECK(s.table().stat("child").parent == "base");
}

TEST_CASE("overlay: init removes a crash's leftovers before serving") {
  Snapshotter s(overlay());
  REQUIRE(s.loaded());
  s.table().prepare("a", "");
  stdfs::path snapshots = s.root() / "snapshots";
  s.pluginSet.reset();  // the daemon is down
  makeStrays(snapshots);
  s.restart();
  CHECK(entries(snapshots) == std::set<std::string>{"1"});
  s.table().prepare("b", "");  // ids come from the records' counter, not from the disk
  CHECK(entries(snapshots) == std::set<std::string>{"1", "2"});
}

TEST_CASE("overlay: a stray that holds the next id is replaced, not merged into the new snapshot") {
  Snapshotter s(overlay());
  REQUIRE(s.loaded());
  s.table().prepare("a", "");
  stdfs::path snapshots = s.root() / "snapshots";
  stdfs::create_directories(snapshots / "2" / "fs");
  writeFile(snapshots / "2" / "fs" / "stale", "from before a crash");
  s.table().prepare("b", "");
  CHECK(stdfs::is_empty(upperOf(s.table().mounts("b"))));
}

TEST_CASE("overlay: a removed snapshot's half-deleted directory is finished by cleanup") {
  Snapshotter s(overlay());
  REQUIRE(s.loaded());
  s.table().prepare("a", "");
  stdfs::path snapshots = s.root() / "snapshots";
  // As if remove had renamed it away and crashed mid-delete.
  stdfs::create_directories(snapshots / ".tmp-rm-7" / "fs" / "deep");
  s.table().cleanup();
  CHECK(entries(snapshots) == std::set<std::string>{"1"});
}
