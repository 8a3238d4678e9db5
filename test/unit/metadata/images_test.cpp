#include "metadata/images.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "store_fixture.hpp"

using namespace tenon;
using namespace tenon::metadata;
using namespace tenon::metadata::testing;

namespace {

std::vector<std::string> names(const std::vector<Image>& list) {
  std::vector<std::string> out;
  for (const Image& image : list) out.push_back(image.name);
  return out;
}

}  // namespace

TEST_CASE("images: create, get, list, update, remove") {
  StoreFixture f;
  Image input = sampleImage("docker.io/library/busybox:latest");
  input.target.annotations = {{"org.opencontainers.image.ref.name", "latest"}};
  input.labels = {{"tenon.io/origin", "import"}};
  Image created = f.store->update([&](WriteTx& tx) { return images::create(tx, "default", input); });
  CHECK(created.createdAt > 0);
  CHECK(created.updatedAt == created.createdAt);

  Image got =
      f.store->view([](const ReadTx& tx) { return images::get(tx, "default", "docker.io/library/busybox:latest"); });
  CHECK(got.target.mediaType == input.target.mediaType);
  CHECK(got.target.digest == input.target.digest);
  CHECK(got.target.size == 1234);
  CHECK(got.target.annotations == input.target.annotations);
  CHECK(got.labels == input.labels);
  CHECK(got.createdAt == created.createdAt);

  Image updated = f.store->update([](WriteTx& tx) {
    return images::update(tx, "default", "docker.io/library/busybox:latest", {.labels = Labels{{"k", "v"}}});
  });
  CHECK(updated.labels == Labels{{"k", "v"}});
  CHECK(updated.target.digest == input.target.digest);  // not given, so kept
  CHECK(updated.updatedAt > created.updatedAt);
  CHECK(updated.createdAt == created.createdAt);

  Descriptor retarget{"application/vnd.oci.image.manifest.v1+json", digestOf('b'), 99, {}};
  f.store->update(
      [&](WriteTx& tx) { images::update(tx, "default", "docker.io/library/busybox:latest", {.target = retarget}); });
  f.store->view([](const ReadTx& tx) {
    Image now = images::get(tx, "default", "docker.io/library/busybox:latest");
    CHECK(now.target.digest == digestOf('b'));
    CHECK(now.labels == Labels{{"k", "v"}});
  });

  Image removed =
      f.store->update([](WriteTx& tx) { return images::remove(tx, "default", "docker.io/library/busybox:latest"); });
  CHECK(removed.target.digest == digestOf('b'));
  f.store->view([](const ReadTx& tx) { CHECK(images::list(tx, "default").empty()); });
}

TEST_CASE("images: not_found, already_exists, invalid_argument") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) { images::create(tx, "default", sampleImage("busybox")); });
  CHECK(f.updateCode([](WriteTx& tx) { images::create(tx, "default", sampleImage("busybox")); }) ==
        TENON_ALREADY_EXISTS);
  CHECK(f.updateCode([](WriteTx& tx) { images::remove(tx, "default", "nope"); }) == TENON_NOT_FOUND);
  CHECK(f.updateCode([](WriteTx& tx) { images::update(tx, "default", "nope", {}); }) == TENON_NOT_FOUND);
  CHECK(f.viewCode([](const ReadTx& tx) { return images::get(tx, "default", "nope"); }) == TENON_NOT_FOUND);
  for (std::string bad : {std::string("../../etc/passwd"), std::string("a/../b"), std::string(".."),
                          std::string("a\x01"), std::string("a b"), std::string("a\0b", 3), std::string()}) {
    CAPTURE(bad);
    CHECK(f.updateCode([&](WriteTx& tx) { images::create(tx, "default", sampleImage(bad)); }) ==
          TENON_INVALID_ARGUMENT);
  }
  std::string message =
      messageOf([&] { f.store->update([](WriteTx& tx) { images::create(tx, "default", sampleImage("x/../y")); }); });
  CHECK(message.find("\"x/../y\"") != std::string::npos);

  Image badTarget = sampleImage("t");
  badTarget.target.digest = "sha256:short";
  CHECK(f.updateCode([&](WriteTx& tx) { images::create(tx, "default", badTarget); }) == TENON_INVALID_ARGUMENT);
  badTarget = sampleImage("t");
  badTarget.target.mediaType.clear();
  CHECK(f.updateCode([&](WriteTx& tx) { images::create(tx, "default", badTarget); }) == TENON_INVALID_ARGUMENT);
  badTarget = sampleImage("t");
  badTarget.target.size = -1;
  CHECK(f.updateCode([&](WriteTx& tx) { images::create(tx, "default", badTarget); }) == TENON_INVALID_ARGUMENT);
  CHECK(f.updateCode([](WriteTx& tx) { images::create(tx, "Bad NS", sampleImage("x")); }) == TENON_INVALID_ARGUMENT);
}

TEST_CASE("images: the same name in two namespaces are two images") {
  StoreFixture f;
  f.store->update([](WriteTx& tx) {
    images::create(tx, "a", sampleImage("busybox", 'a'));
    images::create(tx, "b", sampleImage("busybox", 'b'));
    images::create(tx, "b", sampleImage("only-in-b", 'b'));
  });
  f.store->view([](const ReadTx& tx) {
    CHECK(images::get(tx, "a", "busybox").target.digest == digestOf('a'));
    CHECK(images::get(tx, "b", "busybox").target.digest == digestOf('b'));
    CHECK(names(images::list(tx, "a")) == std::vector<std::string>{"busybox"});
    CHECK(names(images::list(tx, "b")) == std::vector<std::string>{"busybox", "only-in-b"});
    CHECK_FALSE(images::find(tx, "a", "only-in-b").has_value());
  });
  f.store->update([](WriteTx& tx) { images::remove(tx, "a", "busybox"); });
  f.store->view([](const ReadTx& tx) { CHECK(images::find(tx, "b", "busybox").has_value()); });
}

TEST_CASE("images: list filters by a name prefix, long names included") {
  StoreFixture f;
  std::string longBase = "reg.example/" + std::string(4000, 'n');
  f.store->update([&](WriteTx& tx) {
    for (const char* name : {"docker.io/library/alpine:3", "docker.io/library/busybox:latest", "quay.io/x:1"})
      images::create(tx, "default", sampleImage(name));
    images::create(tx, "default", sampleImage(longBase + "/b"));
    images::create(tx, "default", sampleImage(longBase + "/a"));
  });
  f.store->view([&](const ReadTx& tx) {
    CHECK(names(images::list(tx, "default", "docker.io/")) ==
          std::vector<std::string>{"docker.io/library/alpine:3", "docker.io/library/busybox:latest"});
    CHECK(names(images::list(tx, "default", longBase + "/a")) == std::vector<std::string>{longBase + "/a"});
    CHECK(names(images::list(tx, "default", "reg.example/")) ==
          std::vector<std::string>{longBase + "/a", longBase + "/b"});
    CHECK(images::get(tx, "default", longBase + "/b").name == longBase + "/b");
    CHECK(images::list(tx, "default").size() == 5);
  });
}
