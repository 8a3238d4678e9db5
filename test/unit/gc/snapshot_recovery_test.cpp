// NamespacedSnapshotter::recover(), what the daemon runs at start: records
// and plugin back in step after a crash or a failed removal left one without
// the other.
#include <doctest/doctest.h>

#include "snapshot_gc_fixture.hpp"

using namespace tenon;
using namespace tenon::gc::test;

namespace {

struct Recovered {
  snapshots::NamespacedSnapshotter::Recovery done;
  std::vector<std::string> warnings;
};

Recovered recover(const SnapshotWorld& w) {
  Recovered r;
  r.done = w.overlay().recover([&](const std::string& what) { r.warnings.push_back(what); });
  return r;
}

}  // namespace

TEST_CASE("recover removes plugin snapshots no record names, children first, and keeps the recorded ones") {
  SnapshotWorld w;
  if (!w.ready()) return;
  w.commitChain("a", {"base"});
  w.overlay().prepare("a", "work", "base");
  std::set<std::string> recorded = w.pluginKeys();
  // What a crash between the plugin call and the record leaves: keys no record names.
  w.plugin.table().prepare("crashed/0/active", "");
  w.plugin.table().prepare("crashed/1/layer-active", "");
  w.plugin.table().commit("crashed/1/layer", "crashed/1/layer-active");
  w.plugin.table().prepare("crashed/2/child", "crashed/1/layer");
  // A stray on a recorded parent: the parent must stay.
  w.plugin.table().prepare("crashed/3/on-base", w.backingOf("a", "base"));

  Recovered r = recover(w);
  CHECK(r.done.strays == 4);
  CHECK(r.done.dangling == 0);
  CHECK(r.warnings.empty());
  CHECK(w.pluginKeys() == recorded);
  CHECK(w.keys("a") == std::vector<std::string>{"base", "work"});
  CHECK_FALSE(w.overlay().mounts("a", "work").empty());
}

TEST_CASE("recover removes a record whose plugin snapshot is missing") {
  SnapshotWorld w;
  if (!w.ready()) return;
  w.overlay().prepare("a", "lost", "");
  w.overlay().prepare("a", "kept", "");
  w.plugin.table().remove(w.backingOf("a", "lost"));  // behind the record's back

  Recovered r = recover(w);
  CHECK(r.done.dangling == 1);
  CHECK(r.done.strays == 0);
  CHECK(r.warnings.empty());
  CHECK(w.keys("a") == std::vector<std::string>{"kept"});
  // The name is free again, and usable.
  CHECK_FALSE(w.overlay().prepare("a", "lost", "").empty());
  CHECK(w.pluginKeys().size() == 2);
}
