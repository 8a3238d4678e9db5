#include "metadata/leases.hpp"

#include <doctest/doctest.h>

#include "store_fixture.hpp"

using namespace tenon;
using namespace tenon::metadata;
using namespace tenon::metadata::testing;

TEST_CASE("leases: create, get, list, remove") {
  StoreFixture f;
  Lease created = f.store->update([](WriteTx& tx) {
    return leases::create(tx, "default", Lease{"pull-1", {{"k", "v"}}, 0, 0});
  });
  CHECK(created.createdAt > 0);
  f.store->update([](WriteTx& tx) { leases::create(tx, "default", Lease{"pull-0", {}, 0, 500}); });
  f.store->view([](const ReadTx& tx) {
    CHECK(leases::get(tx, "default", "pull-1").labels == Labels{{"k", "v"}});
    auto all = leases::list(tx, "default");
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == "pull-0");
    CHECK(all[0].expiresAt == 500);
  });
  f.store->update([](WriteTx& tx) { leases::remove(tx, "default", "pull-1"); });
  f.store->view([](const ReadTx& tx) { CHECK_FALSE(leases::find(tx, "default", "pull-1").has_value()); });
}

TEST_CASE("leases: errors") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) { leases::create(tx, "default", Lease{"l", {}, 0, 0}); });
  CHECK(f.updateCode([](WriteTx& tx) { leases::create(tx, "default", Lease{"l", {}, 0, 0}); }) == TENON_ALREADY_EXISTS);
  CHECK(f.updateCode([](WriteTx& tx) { leases::remove(tx, "default", "m"); }) == TENON_NOT_FOUND);
  CHECK(f.updateCode([](WriteTx& tx) {
    leases::addResource(tx, "default", "m", {"content", digestOf('a')});
  }) == TENON_NOT_FOUND);
  CHECK(f.viewCode([](const ReadTx& tx) { return leases::resources(tx, "default", "m"); }) == TENON_NOT_FOUND);
  CHECK(f.updateCode([](WriteTx& tx) {
    leases::create(tx, "default", Lease{"../l", {}, 0, 0});
  }) == TENON_INVALID_ARGUMENT);
  CHECK(f.updateCode([](WriteTx& tx) {
    leases::create(tx, "default", Lease{"n", {}, 0, -5});
  }) == TENON_INVALID_ARGUMENT);
  for (LeaseResource bad :
       {LeaseResource{"content", "sha256:nope"}, LeaseResource{"blobs", "x"}, LeaseResource{"snapshots/", "k"},
        LeaseResource{"snapshots/a b", "k"}, LeaseResource{"ingests", ""},
        LeaseResource{"snapshots/overlayfs", std::string("a\0b", 3)}}) {
    CAPTURE(bad.type);
    CHECK(f.updateCode([&](WriteTx& tx) { leases::addResource(tx, "default", "l", bad); }) == TENON_INVALID_ARGUMENT);
  }
}

TEST_CASE("leases: resources are added once, removed, and go with their lease") {
  StoreFixture f;
  std::string longKey(3000, 'k');
  std::vector<LeaseResource> held{{"content", digestOf('a')}, {"ingests", "ref-1"}, {"snapshots/overlayfs", longKey}};
  f.store->update([&](WriteTx& tx) {
    leases::create(tx, "default", Lease{"l", {}, 0, 0});
    leases::create(tx, "default", Lease{"l2", {}, 0, 0});
    for (const auto& r : held) leases::addResource(tx, "default", "l", r);
    leases::addResource(tx, "default", "l", held[0]);  // again: no duplicate
    leases::addResource(tx, "default", "l2", {"ingests", "other"});
  });
  f.store->view([&](const ReadTx& tx) {
    CHECK(leases::resources(tx, "default", "l") == held);
    CHECK(leases::resources(tx, "default", "l2") == std::vector<LeaseResource>{{"ingests", "other"}});
  });
  f.store->update([&](WriteTx& tx) {
    leases::removeResource(tx, "default", "l", {"ingests", "ref-1"});
    leases::removeResource(tx, "default", "l", {"ingests", "never-added"});
  });
  f.store->view([&](const ReadTx& tx) {
    CHECK(leases::resources(tx, "default", "l") == std::vector<LeaseResource>{held[0], held[2]});
  });
  f.store->update([](WriteTx& tx) {
    leases::remove(tx, "default", "l");
    leases::create(tx, "default", Lease{"l", {}, 0, 0});
  });
  f.store->view([](const ReadTx& tx) {
    CHECK(leases::resources(tx, "default", "l").empty());
    CHECK(leases::resources(tx, "default", "l2").size() == 1);
  });
}

TEST_CASE("leases: expired lists leases past their expiry in every namespace") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) {
    leases::create(tx, "a", Lease{"old", {}, 0, 100});
    leases::create(tx, "a", Lease{"forever", {}, 0, 0});
    leases::create(tx, "b", Lease{"due", {}, 0, 200});
    leases::create(tx, "b", Lease{"later", {}, 0, 201});
  });
  f.store->view([](const ReadTx& tx) {
    CHECK(leases::expired(tx, 99).empty());
    CHECK(leases::expired(tx, 200) == std::vector<LeaseRef>{{"a", "old"}, {"b", "due"}});
  });
}
