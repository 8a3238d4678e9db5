#include "push/push_plan.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

#include "images/media_types.hpp"
#include "images/memory_blobs.hpp"
#include "transfer/sha256.hpp"

using namespace tenon;
using namespace tenon::push;
using Json = nlohmann::json;
namespace media_types = tenon::images::media_types;

using tenon::images::testing::MemoryBlobs;
using tenon::images::testing::descriptorJson;

namespace {

struct TestImage {
  metadata::Descriptor manifest, config, layer;
};

TestImage addImage(MemoryBlobs& blobs, const std::string& seed) {
  TestImage image;
  image.config = blobs.add(media_types::kOciConfig, R"({"seed":")" + seed + "\"}");
  image.layer = blobs.add("application/vnd.oci.image.layer.v1.tar+gzip", "layer " + seed);
  Json manifest{{"schemaVersion", 2},
                {"config", descriptorJson(image.config)},
                {"layers", Json::array({descriptorJson(image.layer)})}};
  image.manifest = blobs.add(media_types::kOciManifest, manifest.dump());
  return image;
}

// An index of `entries`, each with a platform ("linux/arm64") or none ("").
metadata::Descriptor addIndex(MemoryBlobs& blobs,
                              const std::vector<std::pair<metadata::Descriptor, std::string>>& entries) {
  Json manifests = Json::array();
  for (const auto& [d, platform] : entries) {
    Json entry = descriptorJson(d);
    if (!platform.empty()) {
      auto slash = platform.find('/');
      entry["platform"] = {{"os", platform.substr(0, slash)}, {"architecture", platform.substr(slash + 1)}};
    }
    manifests.push_back(entry);
  }
  Json index{{"schemaVersion", 2}, {"manifests", manifests}, {"annotations", {{"kept", "yes"}}}};
  return blobs.add(media_types::kOciIndex, index.dump());
}

std::vector<std::string> digests(const std::vector<images::ImageBlob>& blobs) {
  std::vector<std::string> out;
  for (const auto& blob : blobs) out.push_back(blob.descriptor.digest);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

}  // namespace

TEST_CASE("push plan: a manifest is the root and its config and layers are the blobs") {
  MemoryBlobs blobs;
  TestImage image = addImage(blobs, "a");
  PushPlan plan = planPush(blobs, image.manifest, "x", {});
  CHECK(plan.root.digest == image.manifest.digest);
  CHECK(plan.madeRootBytes.empty());
  CHECK(plan.documents.empty());
  CHECK(digests(plan.blobs) == sorted({image.config.digest, image.layer.digest}));
}

TEST_CASE("push plan: without platforms an index is pushed whole, its manifests before it") {
  MemoryBlobs blobs;
  TestImage amd = addImage(blobs, "amd"), arm = addImage(blobs, "arm");
  auto index = addIndex(blobs, {{amd.manifest, "linux/amd64"}, {arm.manifest, "linux/arm64"}});
  PushPlan plan = planPush(blobs, index, "x", {});
  CHECK(plan.root.digest == index.digest);
  CHECK(digests(plan.documents) == sorted({amd.manifest.digest, arm.manifest.digest}));
  CHECK(plan.blobs.size() == 4);
  for (const auto& blob : plan.blobs) CHECK((blob.role == "config" || blob.role == "layer"));
}

TEST_CASE("push plan: one platform of an index makes its manifest the root") {
  MemoryBlobs blobs;
  TestImage amd = addImage(blobs, "amd"), arm = addImage(blobs, "arm");
  auto index = addIndex(blobs, {{amd.manifest, "linux/amd64"}, {arm.manifest, "linux/arm64"}});
  blobs.drop(amd.layer.digest);  // another platform's blobs need not be there
  PushPlan plan = planPush(blobs, index, "x", {"linux/arm64"});
  CHECK(plan.root.digest == arm.manifest.digest);
  CHECK(plan.root.mediaType == media_types::kOciManifest);
  CHECK(plan.documents.empty());
  CHECK(digests(plan.blobs) == sorted({arm.config.digest, arm.layer.digest}));
}

TEST_CASE("push plan: several platforms make a new index of just their manifests") {
  MemoryBlobs blobs;
  TestImage amd = addImage(blobs, "amd"), arm = addImage(blobs, "arm"), ppc = addImage(blobs, "ppc");
  auto index =
      addIndex(blobs, {{amd.manifest, "linux/amd64"}, {arm.manifest, "linux/arm64"}, {ppc.manifest, "linux/ppc64le"}});
  PushPlan plan = planPush(blobs, index, "x", {"linux/ppc64le", "linux/amd64"});
  REQUIRE_FALSE(plan.madeRootBytes.empty());
  CHECK(plan.root.mediaType == media_types::kOciIndex);
  CHECK(plan.root.digest == transfer::sha256Of(plan.madeRootBytes));
  CHECK(plan.root.size == static_cast<int64_t>(plan.madeRootBytes.size()));
  Json made = Json::parse(plan.madeRootBytes);
  REQUIRE(made["manifests"].size() == 2);
  CHECK(made["manifests"][0]["digest"] == amd.manifest.digest);  // the index's order, not the request's
  CHECK(made["manifests"][1]["digest"] == ppc.manifest.digest);
  CHECK(made["manifests"][0]["platform"]["architecture"] == "amd64");
  CHECK(made["annotations"]["kept"] == "yes");
  CHECK(made["schemaVersion"] == 2);
  CHECK(digests(plan.documents) == sorted({amd.manifest.digest, ppc.manifest.digest}));
  CHECK(plan.blobs.size() == 4);
}

TEST_CASE("push plan: an entry without a platform matches any, as in containerd") {
  MemoryBlobs blobs;
  TestImage amd = addImage(blobs, "amd"), any = addImage(blobs, "any");
  auto index = addIndex(blobs, {{amd.manifest, "linux/amd64"}, {any.manifest, ""}});
  PushPlan plan = planPush(blobs, index, "x", {"linux/arm64"});
  CHECK(plan.root.digest == any.manifest.digest);
}

TEST_CASE("push plan: a platform no manifest is for is an error naming what the image has") {
  MemoryBlobs blobs;
  TestImage amd = addImage(blobs, "amd");
  auto index = addIndex(blobs, {{amd.manifest, "linux/amd64"}});
  try {
    planPush(blobs, index, "docker.io/library/x:1", {"linux/s390x"});
    FAIL("planned a platform the image lacks");
  } catch (const Error& e) {
    CHECK(e.code() == TENON_NOT_FOUND);
    CHECK(std::string(e.what()) == "no manifest of docker.io/library/x:1 is for linux/s390x (it has linux/amd64)");
  }
  CHECK_THROWS_WITH(planPush(blobs, index, "x", {"linux"}), doctest::Contains("not os/architecture"));
}

TEST_CASE("push plan: a blob missing from the store is refused by name") {
  MemoryBlobs blobs;
  TestImage image = addImage(blobs, "a");
  blobs.drop(image.layer.digest);
  try {
    planPush(blobs, image.manifest, "x", {});
    FAIL("planned a push of a blob the store lacks");
  } catch (const Error& e) {
    CHECK(e.code() == TENON_NOT_FOUND);
    CHECK(std::string(e.what()).find(image.layer.digest) != std::string::npos);
  }
}

TEST_CASE("push plan: nested indexes come after every manifest and index they name") {
  MemoryBlobs blobs;
  TestImage one = addImage(blobs, "one"), two = addImage(blobs, "two");
  auto first = addIndex(blobs, {{one.manifest, "linux/amd64"}});
  auto second = addIndex(blobs, {{first, ""}, {two.manifest, "linux/arm64"}});
  // The root names `first` before `second`, which names `first` again: a walk lists first before second.
  auto root = addIndex(blobs, {{first, ""}, {second, ""}});
  PushPlan plan = planPush(blobs, root, "x", {});
  std::vector<std::string> order;
  for (const auto& d : plan.documents) order.push_back(d.descriptor.digest);
  REQUIRE(order.size() == 4);
  auto at = [&](const std::string& digest) { return std::find(order.begin(), order.end(), digest) - order.begin(); };
  CHECK(at(one.manifest.digest) < at(first.digest));
  CHECK(at(first.digest) < at(second.digest));
  CHECK(at(two.manifest.digest) < at(second.digest));
}
