#include "metadata/namespaces.hpp"

#include <doctest/doctest.h>

#include "metadata/containers.hpp"
#include "metadata/content_records.hpp"
#include "metadata/images.hpp"
#include "metadata/leases.hpp"
#include "metadata/snapshot_records.hpp"
#include "store_fixture.hpp"

using namespace tenon;
using namespace tenon::metadata;
using namespace tenon::metadata::testing;

TEST_CASE("namespaces: create, get, list, label, remove") {
  StoreFixture f;
  Namespace created = f.store->update([](WriteTx& tx) { return namespaces::create(tx, "team-a", {{"env", "prod"}}); });
  CHECK(created.createdAt > 0);
  f.store->update([](WriteTx& tx) { namespaces::create(tx, "team-b"); });
  f.store->view([](const ReadTx& tx) {
    auto all = namespaces::list(tx);
    REQUIRE(all.size() == 2);
    CHECK(all[0].name == "team-a");
    CHECK(all[1].name == "team-b");
    CHECK(namespaces::get(tx, "team-a").labels == Labels{{"env", "prod"}});
  });
  Namespace relabelled = f.store->update([](WriteTx& tx) {
    return namespaces::setLabels(tx, "team-a", {{"env", "dev"}});
  });
  CHECK(relabelled.labels == Labels{{"env", "dev"}});
  CHECK(relabelled.updatedAt > created.updatedAt);
  f.store->update([](WriteTx& tx) { namespaces::remove(tx, "team-a"); });
  f.store->view([](const ReadTx& tx) {
    CHECK_FALSE(namespaces::find(tx, "team-a").has_value());
    CHECK(namespaces::list(tx).size() == 1);
  });
}

TEST_CASE("namespaces: the errors of the vocabulary") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) { namespaces::create(tx, "a"); });
  CHECK(f.updateCode([](WriteTx& tx) { namespaces::create(tx, "a"); }) == TENON_ALREADY_EXISTS);
  CHECK(f.updateCode([](WriteTx& tx) { namespaces::remove(tx, "nope"); }) == TENON_NOT_FOUND);
  CHECK(f.updateCode([](WriteTx& tx) { namespaces::setLabels(tx, "nope", {}); }) == TENON_NOT_FOUND);
  CHECK(f.viewCode([](const ReadTx& tx) { return namespaces::get(tx, "nope"); }) == TENON_NOT_FOUND);
  for (const char* bad : {"..", "../etc", "Upper", "a b", "a\x01"}) {
    CAPTURE(bad);
    CHECK(f.updateCode([&](WriteTx& tx) { namespaces::create(tx, bad); }) == TENON_INVALID_ARGUMENT);
  }
  CHECK(f.updateCode([](WriteTx& tx) { namespaces::create(tx, "b", {{"", "empty key"}}); }) == TENON_INVALID_ARGUMENT);
}

TEST_CASE("the first write in a namespace creates it") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) { images::create(tx, "implicit", sampleImage("busybox")); });
  f.store->view([](const ReadTx& tx) { CHECK(namespaces::find(tx, "implicit").has_value()); });
}

TEST_CASE("a namespace is removed only once empty, and the refusal says what is left") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) {
    images::create(tx, "busy", sampleImage("one"));
    images::create(tx, "busy", sampleImage("two"));
    containers::create(tx, "busy", Container{"c1", "", {"runc", ""}, "", "", "", {}, 0, 0});
    content_records::add(tx, "busy", digestOf('c'), 10);
    leases::create(tx, "busy", Lease{"l1", {}, 0, 0});
    snapshot_records::create(tx, "busy", SnapshotRecord{"overlayfs", "layer", "", "", {}, 0, 0});
  });
  auto removeBusy = [&] { f.store->update([](WriteTx& tx) { namespaces::remove(tx, "busy"); }); };
  CHECK(codeOf(removeBusy) == TENON_FAILED_PRECONDITION);
  std::string message = messageOf(removeBusy);
  for (const char* left : {"2 images", "1 container", "1 content blob", "1 lease", "1 snapshot"}) {
    CAPTURE(left);
    CHECK(message.find(left) != std::string::npos);
  }
  f.store->update([](WriteTx& tx) {
    images::remove(tx, "busy", "one");
    images::remove(tx, "busy", "two");
    containers::remove(tx, "busy", "c1");
    content_records::remove(tx, "busy", digestOf('c'));
    leases::remove(tx, "busy", "l1");
  });
  CHECK(messageOf(removeBusy).find("1 snapshot") != std::string::npos);
  f.store->update([](WriteTx& tx) { snapshot_records::remove(tx, "busy", "overlayfs", "layer"); });
  CHECK(codeOf(removeBusy) == TENON_OK);
  f.store->view([](const ReadTx& tx) { CHECK_FALSE(namespaces::find(tx, "busy").has_value()); });
}

TEST_CASE("a namespace's records do not keep another one from being removed") {
  StoreFixture f;
  // "a" is a prefix of "ab": their key ranges must not overlap.
  f.store->update([](WriteTx& tx) {
    namespaces::create(tx, "a");
    images::create(tx, "ab", sampleImage("busybox"));
  });
  CHECK(f.updateCode([](WriteTx& tx) { namespaces::remove(tx, "a"); }) == TENON_OK);
}
