#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "metadata/containers.hpp"
#include "metadata/images.hpp"
#include "metadata/leases.hpp"
#include "metadata/namespaces.hpp"
#include "store_fixture.hpp"

using namespace tenon;
using namespace tenon::metadata;
using namespace tenon::metadata::testing;

namespace {

Container sampleContainer(std::string id) {
  Container c;
  c.id = std::move(id);
  c.runtime.name = "runc";
  return c;
}

// Fills the store with enough images to span many pages.
void fill(MetadataStore& store, int count) {
  store.update([&](WriteTx& tx) {
    for (int i = 0; i < count; ++i)
      images::create(tx, "default", sampleImage("registry.example/image-" + std::to_string(i)));
  });
}

// Every way of using a damaged store fails with unavailable and the damage message.
void checkUnusable(MetadataStore& store) {
  REQUIRE(store.damage().has_value());
  std::string damage = *store.damage();
  CHECK(damage.find(store.file().string()) != std::string::npos);
  CHECK(codeOf([&] { store.view([](const ReadTx& tx) { return namespaces::list(tx); }); }) == TENON_UNAVAILABLE);
  CHECK(codeOf([&] { store.update([](WriteTx& tx) { namespaces::create(tx, "a"); }); }) == TENON_UNAVAILABLE);
  CHECK(messageOf([&] { store.view([](const ReadTx& tx) { return images::find(tx, "default", "x"); }); }) == damage);
}

}  // namespace

TEST_CASE("an update that throws midway leaves nothing written") {
  StoreFixture f;
  CHECK_THROWS_AS(f.store->update([](WriteTx& tx) {
    images::create(tx, "team", sampleImage("busybox"));
    containers::create(tx, "team", sampleContainer("c1"));
    throw std::runtime_error("the caller gives up");
  }),
                  std::runtime_error);
  // A store error midway aborts just the same.
  CHECK(codeOf([&] {
          f.store->update([](WriteTx& tx) {
            images::create(tx, "team", sampleImage("busybox"));
            images::create(tx, "team", sampleImage("busybox"));
          });
        }) == TENON_ALREADY_EXISTS);
  f.store->view([](const ReadTx& tx) {
    CHECK_FALSE(namespaces::find(tx, "team").has_value());
    CHECK(images::list(tx, "team").empty());
    CHECK(containers::list(tx, "team").empty());
  });
}

TEST_CASE("update returns what its function returns, once committed") {
  StoreFixture f;
  Image created = f.store->update([](WriteTx& tx) { return images::create(tx, "default", sampleImage("busybox")); });
  CHECK(created.createdAt > 0);
  CHECK(f.store->view([](const ReadTx& tx) { return images::get(tx, "default", "busybox").createdAt; }) ==
        created.createdAt);
}

TEST_CASE("reopening the store keeps everything") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) {
    namespaces::create(tx, "team", {{"owner", "ops"}});
    images::create(tx, "team", sampleImage("busybox"));
    containers::create(tx, "team", sampleContainer("c1"));
    leases::create(tx, "team", Lease{"pull-1", {}, 0, 42});
  });
  f.reopen();
  CHECK_FALSE(f.store->damage().has_value());
  f.store->view([](const ReadTx& tx) {
    CHECK(namespaces::get(tx, "team").labels.at("owner") == "ops");
    CHECK(images::get(tx, "team", "busybox").target.size == 1234);
    CHECK(containers::get(tx, "team", "c1").runtime.name == "runc");
    CHECK(leases::get(tx, "team", "pull-1").expiresAt == 42);
  });
}

TEST_CASE("a garbage data.mdb opens damaged; every call is unavailable") {
  TempDir dir;
  std::ofstream(dir.path() / "data.mdb") << std::string(64 * 1024, 'G');
  auto store = MetadataStore::open(dir.path());
  checkUnusable(*store);
  CHECK(store->damage()->find("is damaged") != std::string::npos);
  CHECK(store->damage()->find("move the file aside") != std::string::npos);
}

TEST_CASE("a truncated copy of a real store opens damaged; every call is unavailable") {
  StoreFixture f;
  fill(*f.store, 2000);
  f.store.reset();
  auto size = std::filesystem::file_size(f.storeDir / "data.mdb");
  REQUIRE(size > 64 * 1024);
  for (std::uintmax_t keep : {size / 2, std::uintmax_t{4096 * 3}, std::uintmax_t{100}}) {
    CAPTURE(keep);
    TempDir copy;
    std::filesystem::copy_file(f.storeDir / "data.mdb", copy.path() / "data.mdb");
    std::filesystem::resize_file(copy.path() / "data.mdb", keep);
    auto store = MetadataStore::open(copy.path());
    checkUnusable(*store);
  }
}

TEST_CASE("a store from a newer tenond is left alone and reported") {
  StoreFixture f;
  f.store.reset();
  {
    lmdb::Env env(f.storeDir, {});
    lmdb::WriteTxn txn(env);
    txn.put(env.openDbi(txn, "meta"), "schema", "99");
    txn.commit();
  }
  f.reopen();
  checkUnusable(*f.store);
  CHECK(f.store->damage()->find("newer tenond (schema 99") != std::string::npos);
}

TEST_CASE("a record that is not JSON is found at open") {
  StoreFixture f;
  f.store.reset();
  {
    lmdb::Env env(f.storeDir, {});
    lmdb::WriteTxn txn(env);
    txn.put(env.openDbi(txn, "images"), std::string("default\0x", 9), "{not json");
    txn.commit();
  }
  f.reopen();
  checkUnusable(*f.store);
}

TEST_CASE("a full store is resource_exhausted and stays usable") {
  TempDir dir;
  auto store = MetadataStore::open(dir.path(), {.mapSize = 1 << 20});
  REQUIRE_FALSE(store->damage().has_value());
  tenon_status code = TENON_OK;
  for (int i = 0; i < 1000 && code == TENON_OK; ++i)
    code = codeOf([&] {
      store->update([&](WriteTx& tx) {
        Image image = sampleImage("big-" + std::to_string(i));
        image.labels["padding"] = std::string(4000, 'p');
        images::create(tx, "default", image);
      });
    });
  CHECK(code == TENON_RESOURCE_EXHAUSTED);
  CHECK_FALSE(store->damage().has_value());
  CHECK(store->view([](const ReadTx& tx) { return images::find(tx, "default", "big-0").has_value(); }));
}

TEST_CASE("update() inside update() on one thread is refused, not a deadlock") {
  StoreFixture f;
  CHECK(f.updateCode([&](WriteTx&) { f.store->update([](WriteTx&) {}); }) == TENON_INTERNAL);
  // The refused call leaves the store usable.
  CHECK(f.updateCode([](WriteTx& tx) { namespaces::create(tx, "after"); }) == TENON_OK);
}

TEST_CASE("readers on several threads see whole commits while one writer commits") {
  StoreFixture f;
  constexpr int kWrites = 200;
  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, midway{0}, backwards{0}, started{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r)
    readers.emplace_back([&] {
      std::size_t last = 0;
      ++started;
      while (!done.load()) {
        // Each commit writes one image and one container: a reader sees both or neither.
        auto [imageCount, containerCount] = f.store->view([](const ReadTx& tx) {
          return std::pair(images::list(tx, "default").size(), containers::list(tx, "default").size());
        });
        if (imageCount != containerCount) ++torn;
        if (imageCount < last) ++backwards;
        if (imageCount > 0 && imageCount < kWrites) ++midway;
        last = imageCount;
      }
    });
  while (started < 4) std::this_thread::yield();
  for (int i = 0; i < kWrites; ++i)
    f.store->update([&](WriteTx& tx) {
      images::create(tx, "default", sampleImage("image-" + std::to_string(i)));
      containers::create(tx, "default", sampleContainer("c" + std::to_string(i)));
    });
  done = true;
  for (auto& t : readers) t.join();
  CHECK(torn == 0);
  CHECK(backwards == 0);
  CHECK(midway > 0);  // the readers really ran while the writer did
  CHECK(f.store->view([](const ReadTx& tx) { return images::list(tx, "default").size(); }) == kWrites);
}
