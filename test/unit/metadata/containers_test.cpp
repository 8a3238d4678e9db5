#include "metadata/containers.hpp"

#include <doctest/doctest.h>

#include "store_fixture.hpp"

using namespace tenon;
using namespace tenon::metadata;
using namespace tenon::metadata::testing;

namespace {

Container sample(std::string id) {
  return Container{std::move(id),
                   "docker.io/library/busybox:latest",
                   {"runc", R"({"binary":"crun"})"},
                   R"({"ociVersion":"1.1.0",  "process":{"args":["sh"]}})",
                   "overlayfs",
                   "rootfs-1",
                   {{"app", "web"}},
                   0,
                   0};
}

}  // namespace

TEST_CASE("containers: create, get, list, update, remove") {
  StoreFixture f;
  Container created = f.store->update([](WriteTx& tx) { return containers::create(tx, "default", sample("web-1")); });
  CHECK(created.createdAt > 0);
  f.store->update([](WriteTx& tx) { containers::create(tx, "default", sample("web-0")); });
  f.store->view([](const ReadTx& tx) {
    Container got = containers::get(tx, "default", "web-1");
    CHECK(got.image == "docker.io/library/busybox:latest");
    CHECK(got.runtime.name == "runc");
    CHECK(got.runtime.optionsJson == R"({"binary":"crun"})");
    CHECK(got.specJson == sample("x").specJson);  // byte for byte, spacing included
    CHECK(got.snapshotter == "overlayfs");
    CHECK(got.snapshotKey == "rootfs-1");
    CHECK(got.labels == Labels{{"app", "web"}});
    auto all = containers::list(tx, "default");
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == "web-0");
    CHECK(all[1].id == "web-1");
  });
  Container updated = f.store->update([](WriteTx& tx) {
    return containers::update(tx, "default", "web-1",
                              {.specJson = std::string(R"({"ociVersion":"1.2.0"})"), .labels = Labels{}});
  });
  CHECK(updated.specJson == R"({"ociVersion":"1.2.0"})");
  CHECK(updated.labels.empty());
  CHECK(updated.image == "docker.io/library/busybox:latest");
  CHECK(updated.updatedAt > created.updatedAt);
  Container removed = f.store->update([](WriteTx& tx) { return containers::remove(tx, "default", "web-1"); });
  CHECK(removed.id == "web-1");
  f.store->view([](const ReadTx& tx) { CHECK_FALSE(containers::find(tx, "default", "web-1").has_value()); });
}

TEST_CASE("containers: not_found, already_exists, invalid_argument") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) { containers::create(tx, "default", sample("c1")); });
  CHECK(f.updateCode([](WriteTx& tx) { containers::create(tx, "default", sample("c1")); }) == TENON_ALREADY_EXISTS);
  CHECK(f.updateCode([](WriteTx& tx) { containers::remove(tx, "default", "c2"); }) == TENON_NOT_FOUND);
  CHECK(f.updateCode([](WriteTx& tx) { containers::update(tx, "default", "c2", {}); }) == TENON_NOT_FOUND);
  CHECK(f.viewCode([](const ReadTx& tx) { return containers::get(tx, "default", "c2"); }) == TENON_NOT_FOUND);
  for (std::string bad : {std::string("../x"), std::string(".."), std::string("-x"), std::string("a b"),
                          std::string("a\x01"), std::string(77, 'a'), std::string()}) {
    CAPTURE(bad);
    CHECK(f.updateCode([&](WriteTx& tx) { containers::create(tx, "default", sample(bad)); }) == TENON_INVALID_ARGUMENT);
  }
  auto createWith = [&](auto change) {
    Container c = sample("c9");
    change(c);
    return f.updateCode([&](WriteTx& tx) { containers::create(tx, "default", c); });
  };
  CHECK(createWith([](Container& c) { c.image = "a/../b"; }) == TENON_INVALID_ARGUMENT);
  CHECK(createWith([](Container& c) { c.runtime.name.clear(); }) == TENON_INVALID_ARGUMENT);
  CHECK(createWith([](Container& c) { c.specJson = "{not json"; }) == TENON_INVALID_ARGUMENT);
  CHECK(createWith([](Container& c) { c.runtime.optionsJson = "[1,"; }) == TENON_INVALID_ARGUMENT);
  CHECK(createWith([](Container& c) { c.snapshotter.clear(); }) == TENON_INVALID_ARGUMENT);  // key without snapshotter
  CHECK(createWith([](Container& c) { c.snapshotKey = std::string("a\0b", 3); }) == TENON_INVALID_ARGUMENT);
  CHECK(createWith([](Container& c) { c.image.clear(); }) == TENON_OK);  // a container needs no image
  CHECK(f.updateCode([](WriteTx& tx) { containers::update(tx, "default", "c1", {.specJson = std::string("nope")}); }) ==
        TENON_INVALID_ARGUMENT);
  f.store->view(
      [](const ReadTx& tx) { CHECK(containers::get(tx, "default", "c1").specJson == sample("c1").specJson); });
}

TEST_CASE("containers: one id in two namespaces") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) {
    Container a = sample("same");
    a.image = "a-image";
    containers::create(tx, "a", a);
    containers::create(tx, "b", sample("same"));
  });
  f.store->view([](const ReadTx& tx) {
    CHECK(containers::get(tx, "a", "same").image == "a-image");
    CHECK(containers::get(tx, "b", "same").image == "docker.io/library/busybox:latest");
    CHECK(containers::list(tx, "a").size() == 1);
  });
}
