// Leases hold snapshots: one named at prepare, view or commit holds the new
// snapshot from the transaction that records it, and GC leaves it (with its
// parents) until the lease goes or expires.
#include <doctest/doctest.h>

#include "snapshot_gc_fixture.hpp"

using namespace tenon;
using namespace tenon::gc::test;

namespace {

std::vector<metadata::LeaseResource> heldBy(const SnapshotWorld& w, const std::string& ns, const std::string& lease) {
  return w.metadata->view([&](const metadata::ReadTx& tx) { return metadata::leases::resources(tx, ns, lease); });
}

metadata::LeaseResource snapshotResource(const std::string& key) { return {"snapshots/overlayfs", key}; }

}  // namespace

TEST_CASE("a snapshot made under a lease is held by it, and a commit moves the hold to the committed name") {
  SnapshotWorld w;
  if (!w.ready()) return;
  w.lease("a", "pull");
  w.overlay().prepare("a", "layer-active", "", {}, "pull");
  CHECK(heldBy(w, "a", "pull") == std::vector{snapshotResource("layer-active")});
  w.overlay().commit("a", "layer", "layer-active", {}, "pull");
  CHECK(heldBy(w, "a", "pull") == std::vector{snapshotResource("layer")});
  w.overlay().view("a", "peek", "layer", {}, "pull");
  w.overlay().prepare("a", "unheld", "layer");

  gc::GcReport report = w.collector->collect(false);
  CHECK(report.removed == std::vector<std::string>{reported("a", "unheld")});
  CHECK(w.keys("a") == std::vector<std::string>{"layer", "peek"});

  w.metadata->update([](metadata::WriteTx& tx) { metadata::leases::remove(tx, "a", "pull"); });
  report = w.collector->collect(false);
  CHECK(report.removed == std::vector<std::string>{reported("a", "peek"), reported("a", "layer")});
  CHECK(w.pluginKeys().empty());
}

TEST_CASE("an unknown lease is refused before the plugin makes anything") {
  SnapshotWorld w;
  if (!w.ready()) return;
  CHECK(errorFrom([&] { w.overlay().prepare("a", "k", "", {}, "nope"); }).code() == TENON_NOT_FOUND);
  w.overlay().prepare("a", "k", "");
  CHECK(errorFrom([&] { w.overlay().view("a", "v", "", {}, "nope"); }).code() == TENON_NOT_FOUND);
  Error refused = errorFrom([&] { w.overlay().commit("a", "c", "k", {}, "nope"); });
  CHECK(refused.code() == TENON_NOT_FOUND);
  CHECK(std::string(refused.what()).find("nope") != std::string::npos);
  CHECK(w.keys("a") == std::vector<std::string>{"k"});
  CHECK(w.overlay().stat("a", "k").kind == snapshots::SnapshotKind::active);
  CHECK(w.pluginKeys() == std::set<std::string>{w.backingOf("a", "k")});
}

TEST_CASE("an expired lease holds nothing: it goes with its snapshots in one run") {
  SnapshotWorld w;
  if (!w.ready()) return;
  w.metadata->update([](metadata::WriteTx& tx) { metadata::leases::create(tx, "a", {"old", {}, 0, 1}); });
  w.overlay().prepare("a", "k", "", {}, "old");
  gc::GcReport report = w.collector->collect(false);
  CHECK(report.removed == std::vector<std::string>{"lease a/old", reported("a", "k")});
  CHECK(w.pluginKeys().empty());
}
