#include <doctest/doctest.h>

#include "../content/content_store_fixture.hpp"
#include "metadata/content_records.hpp"
#include "metadata/validation.hpp"
#include "pull/distribution_source.hpp"
#include "registry/reference.hpp"

using namespace tenon;
using namespace tenon::pull;

TEST_CASE("distribution sources merge sorted, each repository once") {
  CHECK(mergeDistributionSource("", "library/busybox") == "library/busybox");
  CHECK(mergeDistributionSource("library/busybox", "library/busybox") == "library/busybox");
  CHECK(mergeDistributionSource("z/one,a/two", "m/three") == "a/two,m/three,z/one");
  CHECK(mergeDistributionSource("a,,b", "c") == "a,b,c");  // empty items are dropped
}

TEST_CASE("the key keeps the domain as the reference has it, port included") {
  CHECK(distributionSourceKey("127.0.0.1:5000") == "tenon.io/distribution.source.127.0.0.1:5000");
  CHECK_NOTHROW(metadata::validateLabels("label", {{distributionSourceKey("127.0.0.1:5000"), "x"}}));
}

TEST_CASE("pulled blobs are labelled with the repository, merged with what they had, absent ones skipped") {
  content::test::World world;
  const std::string ns = "ds";
  std::string key = distributionSourceKey("127.0.0.1:5000");
  std::string labelled = world.put(ns, "layer one", {{key, "other/repo"}, {"keep", "me"}});
  std::string plain = world.put(ns, "layer two");
  registry::Reference reference = registry::parseReference("127.0.0.1:5000/test/busybox:1");
  world.metadata->update([&](metadata::WriteTx& tx) {
    labelDistributionSource(tx, ns, {labelled, plain, "sha256:" + std::string(64, 'a')}, reference);
  });
  world.metadata->view([&](const metadata::ReadTx& tx) {
    metadata::Labels one = metadata::content_records::get(tx, ns, labelled).labels;
    CHECK(one.at(key) == "other/repo,test/busybox");
    CHECK(one.at("keep") == "me");
    CHECK(metadata::content_records::get(tx, ns, plain).labels.at(key) == "test/busybox");
  });
}
