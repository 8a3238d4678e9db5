#include "metadata/content_records.hpp"

#include <doctest/doctest.h>

#include "store_fixture.hpp"

using namespace tenon;
using namespace tenon::metadata;
using namespace tenon::metadata::testing;

TEST_CASE("content records: add is idempotent per namespace") {
  StoreFixture f;
  ContentRecord first = f.store->update([](WriteTx& tx) {
    return content_records::add(tx, "default", digestOf('a'), 10, {{"tenon.io/gc.ref.content.0", digestOf('b')}});
  });
  ContentRecord again =
      f.store->update([](WriteTx& tx) { return content_records::add(tx, "default", digestOf('a'), 10); });
  CHECK(again.createdAt == first.createdAt);
  CHECK(again.labels == first.labels);
  f.store->view([](const ReadTx& tx) { CHECK(content_records::list(tx, "default").size() == 1); });
  CHECK(f.updateCode([](WriteTx& tx) { content_records::add(tx, "default", digestOf('a'), 11); }) ==
        TENON_FAILED_PRECONDITION);
}

TEST_CASE("content records: get, list, label, remove and their errors") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) {
    content_records::add(tx, "default", digestOf('b'), 20);
    content_records::add(tx, "default", digestOf('a'), 10);
  });
  ContentRecord labelled = f.store->update([](WriteTx& tx) {
    return content_records::setLabels(tx, "default", digestOf('a'), {{"k", "v"}});
  });
  CHECK(labelled.updatedAt > labelled.createdAt);
  f.store->view([](const ReadTx& tx) {
    auto all = content_records::list(tx, "default");
    REQUIRE(all.size() == 2);
    CHECK(all[0].digest == digestOf('a'));
    CHECK(all[0].labels == Labels{{"k", "v"}});
    CHECK(all[1].size == 20);
  });
  f.store->update([](WriteTx& tx) { content_records::remove(tx, "default", digestOf('a')); });
  CHECK(f.updateCode([](WriteTx& tx) { content_records::remove(tx, "default", digestOf('a')); }) == TENON_NOT_FOUND);
  CHECK(f.updateCode([](WriteTx& tx) { content_records::setLabels(tx, "default", digestOf('a'), {}); }) ==
        TENON_NOT_FOUND);
  CHECK(f.viewCode([](const ReadTx& tx) { return content_records::get(tx, "default", digestOf('a')); }) ==
        TENON_NOT_FOUND);
  for (std::string bad : {std::string("sha256:abc"), std::string("../sha256"), "sha256:" + std::string(64, 'G')}) {
    CAPTURE(bad);
    CHECK(f.updateCode([&](WriteTx& tx) { content_records::add(tx, "default", bad, 1); }) == TENON_INVALID_ARGUMENT);
  }
  CHECK(f.updateCode([](WriteTx& tx) { content_records::add(tx, "default", digestOf('c'), -1); }) ==
        TENON_INVALID_ARGUMENT);
}

TEST_CASE("content records: a blob is seen only by the namespaces that recorded it") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) {
    content_records::add(tx, "a", digestOf('a'), 10);
    content_records::add(tx, "c", digestOf('a'), 10);
    content_records::add(tx, "b", digestOf('b'), 5);
  });
  f.store->view([](const ReadTx& tx) {
    CHECK(content_records::namespacesReferencing(tx, digestOf('a')) == std::vector<std::string>{"a", "c"});
    CHECK(content_records::namespacesReferencing(tx, digestOf('b')) == std::vector<std::string>{"b"});
    CHECK(content_records::namespacesReferencing(tx, digestOf('f')).empty());
    CHECK_FALSE(content_records::find(tx, "b", digestOf('a')).has_value());
    CHECK(content_records::list(tx, "b").size() == 1);
  });
  f.store->update([](WriteTx& tx) { content_records::remove(tx, "a", digestOf('a')); });
  f.store->view([](const ReadTx& tx) {
    CHECK(content_records::namespacesReferencing(tx, digestOf('a')) == std::vector<std::string>{"c"});
  });
}
