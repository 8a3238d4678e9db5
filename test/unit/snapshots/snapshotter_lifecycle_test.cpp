// Snapshotter conformance, records: the lifecycle of active, committed and
// view snapshots, errors from the shared vocabulary, labels, walk, restart
// persistence and concurrent prepares. Runs against every snapshotter plugin.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "snapshotter_fixture.hpp"

using namespace tenon;
using namespace tenon::snapshots;
using namespace tenon::snapshots::test;

namespace {

std::set<std::string> names(const SnapshotterTable& table) {
  std::set<std::string> out;
  table.walk([&](const SnapshotInfo& info) { out.insert(info.name); });
  return out;
}

}  // namespace

TEST_CASE("conformance: stat reports kind, parent, labels and times through the lifecycle") {
  forEachSnapshotter([](Snapshotter& s) {
    SnapshotterTable t = s.table();
    t.prepare("base-active", "", {{"stage", "prepare"}});
    SnapshotInfo active = t.stat("base-active");
    CHECK(active.kind == SnapshotKind::active);
    CHECK(active.parent.empty());
    CHECK(active.labels == Labels{{"stage", "prepare"}});
    CHECK(active.created > 0);

    t.commit("base", "base-active", {{"stage", "commit"}});
    CHECK(errorFrom([&] { t.stat("base-active"); }).code() == TENON_NOT_FOUND);
    SnapshotInfo committed = t.stat("base");
    CHECK(committed.kind == SnapshotKind::committed);
    CHECK(committed.labels == Labels{{"stage", "commit"}});

    t.view("look", "base");
    CHECK(t.stat("look").kind == SnapshotKind::view);
    CHECK(t.stat("look").parent == "base");

    SnapshotInfo updated = t.update("base", {{"new", "label"}});
    CHECK(updated.labels == Labels{{"new", "label"}});
    CHECK(updated.updated >= committed.updated);
    CHECK(t.stat("base").labels == Labels{{"new", "label"}});
    CHECK(names(t) == std::set<std::string>{"base", "look"});
  });
}

TEST_CASE("conformance: errors name the state: not_found, already_exists, failed_precondition") {
  forEachSnapshotter([](Snapshotter& s) {
    SnapshotterTable t = s.table();
    t.prepare("a", "");
    t.commit("base", "a");
    t.prepare("child", "base");
    t.view("v", "base");

    CHECK(errorFrom([&] { t.prepare("x", "missing"); }).code() == TENON_NOT_FOUND);
    CHECK(errorFrom([&] { t.view("x", "missing"); }).code() == TENON_NOT_FOUND);
    CHECK(errorFrom([&] { t.stat("missing"); }).code() == TENON_NOT_FOUND);
    CHECK(errorFrom([&] { t.mounts("missing"); }).code() == TENON_NOT_FOUND);
    CHECK(errorFrom([&] { t.commit("x", "missing"); }).code() == TENON_NOT_FOUND);
    CHECK(errorFrom([&] { t.remove("missing"); }).code() == TENON_NOT_FOUND);
    CHECK(errorFrom([&] { t.usage("missing"); }).code() == TENON_NOT_FOUND);
    CHECK(errorFrom([&] { t.update("missing", {}); }).code() == TENON_NOT_FOUND);

    CHECK(errorFrom([&] { t.prepare("base", ""); }).code() == TENON_ALREADY_EXISTS);
    CHECK(errorFrom([&] { t.prepare("child", "base"); }).code() == TENON_ALREADY_EXISTS);
    CHECK(errorFrom([&] { t.view("v", ""); }).code() == TENON_ALREADY_EXISTS);
    CHECK(errorFrom([&] { t.commit("base", "child"); }).code() == TENON_ALREADY_EXISTS);

    CHECK(errorFrom([&] { t.commit("again", "base"); }).code() == TENON_FAILED_PRECONDITION);
    CHECK(errorFrom([&] { t.commit("again", "v"); }).code() == TENON_FAILED_PRECONDITION);
    CHECK(errorFrom([&] { t.prepare("x", "child"); }).code() == TENON_FAILED_PRECONDITION);
    CHECK(errorFrom([&] { t.remove("base"); }).code() == TENON_FAILED_PRECONDITION);
    CHECK(errorFrom([&] { t.mounts("base"); }).code() == TENON_FAILED_PRECONDITION);

    // Nothing above changed anything: the children go, then the parent may.
    CHECK(names(t) == std::set<std::string>{"base", "child", "v"});
    t.remove("child");
    t.remove("v");
    t.remove("base");
    CHECK(names(t).empty());
  });
}

TEST_CASE("conformance: a restart keeps every snapshot, its chain and its files") {
  forEachSnapshotter([](Snapshotter& s) {
    s.commitLayer("l1", "", [](const stdfs::path& root) { writeFile(root / "one", "1"); });
    s.commitLayer("l2", "l1", [](const stdfs::path& root) { writeFile(root / "two", "2"); });
    {
      ScopedMounts m(s.table().prepare("work", "l2", {{"keep", "me"}}), s.mountPoint("work"));
      writeFile(m.root() / "three", "3");
    }
    s.table().view("look", "l2");
    std::vector<Mount> before = s.table().mounts("work");

    s.restart();
    SnapshotterTable t = s.table();
    CHECK(names(t) == std::set<std::string>{"l1", "l2", "work", "look"});
    CHECK(t.stat("l2").parent == "l1");
    CHECK(t.stat("work").parent == "l2");
    CHECK(t.stat("work").labels == Labels{{"keep", "me"}});
    CHECK(t.mounts("work") == before);
    {
      ScopedMounts m(t.mounts("work"), s.mountPoint("work-again"));
      CHECK(readFile(m.root() / "one") == "1");
      CHECK(readFile(m.root() / "two") == "2");
      CHECK(readFile(m.root() / "three") == "3");
    }
    t.commit("l3", "work");
    ScopedMounts m(t.view("top", "l3"), s.mountPoint("top"));
    CHECK(readFile(m.root() / "three") == "3");
  });
}

TEST_CASE("conformance: concurrent prepares of distinct keys all succeed, with cleanup running") {
  forEachSnapshotter([](Snapshotter& s) {
    s.commitLayer("base", "", [](const stdfs::path& root) { writeFile(root / "base", "b"); });
    constexpr int kThreads = 8, kEach = 8;
    std::atomic<int> failures{0};
    std::atomic<bool> done{false};
    // cleanup deletes directories without a record: it must never catch a
    // prepare between making its directory and recording it.
    std::thread cleaner([&] {
      while (!done) {
        try {
          s.table().cleanup();
        } catch (...) {
          ++failures;
        }
      }
    });
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        for (int j = 0; j < kEach; ++j) {
          try {
            s.table().prepare("c-" + std::to_string(i) + "-" + std::to_string(j), j % 2 ? "base" : "");
          } catch (...) {
            ++failures;
          }
        }
      });
    }
    for (std::thread& th : threads) th.join();
    done = true;
    cleaner.join();
    CHECK(failures == 0);
    CHECK(names(s.table()).size() == 1 + kThreads * kEach);
    std::set<stdfs::path> uppers;
    for (int i = 0; i < kThreads; ++i) {
      for (int j = 0; j < kEach; ++j) {
        stdfs::path upper = upperOf(s.table().mounts("c-" + std::to_string(i) + "-" + std::to_string(j)));
        CHECK(stdfs::is_directory(upper));
        uppers.insert(upper);
      }
    }
    CHECK(uppers.size() == kThreads * kEach);
    ScopedMounts m(s.table().mounts("c-3-5"), s.mountPoint("c-3-5"));
    CHECK(readFile(m.root() / "base") == "b");
  });
}
