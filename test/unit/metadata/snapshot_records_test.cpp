#include "metadata/snapshot_records.hpp"

#include <doctest/doctest.h>

#include "store_fixture.hpp"

using namespace tenon;
using namespace tenon::metadata;
using namespace tenon::metadata::testing;

namespace {

SnapshotRecord snapshot(std::string key, std::string parent = {}, std::string backing = {}) {
  return SnapshotRecord{"overlayfs", std::move(key), std::move(backing), std::move(parent), {}, 0, 0};
}

}  // namespace

TEST_CASE("snapshot records: a chain, its children, and removal from the top") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) {
    snapshot_records::create(tx, "default", snapshot("base"));
    snapshot_records::create(tx, "default", snapshot("mid", "base"));
    snapshot_records::create(tx, "default", snapshot("top-1", "mid"));
    snapshot_records::create(tx, "default", snapshot("top-2", "mid"));
  });
  f.store->view([](const ReadTx& tx) {
    CHECK(snapshot_records::children(tx, "default", "overlayfs", "mid") == std::vector<std::string>{"top-1", "top-2"});
    CHECK(snapshot_records::children(tx, "default", "overlayfs", "top-1").empty());
    CHECK(snapshot_records::get(tx, "default", "overlayfs", "mid").parent == "base");
    CHECK(snapshot_records::list(tx, "default", "overlayfs").size() == 4);
  });
  auto remove = [&](const char* key) {
    return f.updateCode([&](WriteTx& tx) { snapshot_records::remove(tx, "default", "overlayfs", key); });
  };
  CHECK(remove("mid") == TENON_FAILED_PRECONDITION);
  CHECK(remove("top-1") == TENON_OK);
  CHECK(remove("mid") == TENON_FAILED_PRECONDITION);
  CHECK(remove("top-2") == TENON_OK);
  CHECK(remove("mid") == TENON_OK);
  CHECK(remove("mid") == TENON_NOT_FOUND);
  f.store->view([](const ReadTx& tx) { CHECK(snapshot_records::list(tx, "default").size() == 1); });
}

TEST_CASE("snapshot records: errors") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) { snapshot_records::create(tx, "default", snapshot("base", "", "backing-1")); });
  CHECK(f.updateCode([](WriteTx& tx) { snapshot_records::create(tx, "default", snapshot("base")); }) ==
        TENON_ALREADY_EXISTS);
  CHECK(f.updateCode([](WriteTx& tx) { snapshot_records::create(tx, "default", snapshot("x", "missing")); }) ==
        TENON_NOT_FOUND);
  CHECK(f.updateCode([](WriteTx& tx) { snapshot_records::create(tx, "other", snapshot("x", "", "backing-1")); }) ==
        TENON_ALREADY_EXISTS);
  CHECK(f.updateCode([](WriteTx& tx) { snapshot_records::create(tx, "default", snapshot(std::string("a\0b", 3))); }) ==
        TENON_INVALID_ARGUMENT);
  CHECK(f.updateCode([](WriteTx& tx) { snapshot_records::create(tx, "default", snapshot(std::string(4097, 'k'))); }) ==
        TENON_INVALID_ARGUMENT);
  CHECK(f.updateCode([](WriteTx& tx) {
    snapshot_records::create(tx, "default", SnapshotRecord{"../aufs", "k", "", "", {}, 0, 0});
  }) == TENON_INVALID_ARGUMENT);
  CHECK(f.updateCode([](WriteTx& tx) { snapshot_records::setLabels(tx, "default", "overlayfs", "nope", {}); }) ==
        TENON_NOT_FOUND);
  // A parent in another snapshotter is not this one's parent.
  CHECK(f.updateCode([](WriteTx& tx) {
    snapshot_records::create(tx, "default", SnapshotRecord{"aufs", "child", "", "base", {}, 0, 0});
  }) == TENON_NOT_FOUND);
}

TEST_CASE("snapshot records: one key in two namespaces, distinct backing keys") {
  StoreFixture f;
  auto [a, b] = f.store->update([](WriteTx& tx) {
    return std::pair(snapshot_records::create(tx, "a", snapshot("layer")),
                     snapshot_records::create(tx, "b", snapshot("layer")));
  });
  CHECK(a.backingKey != b.backingKey);
  CHECK(a.backingKey.starts_with("a/"));
  f.store->view([&](const ReadTx& tx) {
    CHECK(snapshot_records::findByBackingKey(tx, "overlayfs", a.backingKey) == SnapshotRef{"a", "layer"});
    CHECK(snapshot_records::findByBackingKey(tx, "overlayfs", b.backingKey) == SnapshotRef{"b", "layer"});
    CHECK_FALSE(snapshot_records::findByBackingKey(tx, "aufs", a.backingKey).has_value());
    CHECK(snapshot_records::list(tx, "a").size() == 1);
  });
  f.store->update([](WriteTx& tx) { snapshot_records::remove(tx, "a", "overlayfs", "layer"); });
  f.store->view([&](const ReadTx& tx) {
    CHECK_FALSE(snapshot_records::findByBackingKey(tx, "overlayfs", a.backingKey).has_value());
    CHECK(snapshot_records::get(tx, "b", "overlayfs", "layer").backingKey == b.backingKey);
  });
  // The counter survives a restart, so a backing key is never handed out twice.
  f.reopen();
  SnapshotRecord c = f.store->update([](WriteTx& tx) { return snapshot_records::create(tx, "a", snapshot("layer")); });
  CHECK(c.backingKey != a.backingKey);
}

TEST_CASE("snapshot records: labels and long keys") {
  StoreFixture f;
  std::string parent = std::string(4000, 'p') + "1";
  std::string child = std::string(4000, 'p') + "2";
  f.store->update([&](WriteTx& tx) {
    snapshot_records::create(tx, "default", snapshot(parent));
    snapshot_records::create(tx, "default", snapshot(child, parent));
  });
  SnapshotRecord labelled = f.store->update([&](WriteTx& tx) {
    return snapshot_records::setLabels(tx, "default", "overlayfs", child, {{"tenon.io/gc.root", "1"}});
  });
  CHECK(labelled.updatedAt > labelled.createdAt);
  f.store->view([&](const ReadTx& tx) {
    CHECK(snapshot_records::children(tx, "default", "overlayfs", parent) == std::vector<std::string>{child});
    CHECK(snapshot_records::get(tx, "default", "overlayfs", child).labels.size() == 1);
    CHECK(snapshot_records::get(tx, "default", "overlayfs", child).parent == parent);
  });
}
