#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

#include "images/image_documents.hpp"
#include "images/image_walk.hpp"
#include "images/media_types.hpp"
#include "images/memory_blobs.hpp"

using namespace tenon;
using namespace tenon::images;
using Json = nlohmann::json;

using tenon::images::testing::MemoryBlobs;
using tenon::images::testing::descriptorJson;

namespace {

// A manifest with a config and one layer; `present` says whether its parts are stored.
metadata::Descriptor addImage(MemoryBlobs& blobs, const std::string& seed, bool present = true) {
  auto config = blobs.add(std::string(media_types::kOciConfig), R"({"os":"linux","seed":")" + seed + "\"}", present);
  auto layer = blobs.add("application/vnd.oci.image.layer.v1.tar", "layer " + seed, present);
  Json manifest{{"schemaVersion", 2},
                {"config", descriptorJson(config)},
                {"layers", Json::array({descriptorJson(layer)})}};
  return blobs.add(std::string(media_types::kOciManifest), manifest.dump(), present);
}

metadata::Descriptor addIndex(MemoryBlobs& blobs, const std::vector<std::pair<metadata::Descriptor, std::string>>& entries) {
  Json manifests = Json::array();
  for (const auto& [d, arch] : entries) {
    Json entry = descriptorJson(d);
    entry["platform"] = {{"os", "linux"}, {"architecture", arch}};
    manifests.push_back(entry);
  }
  return blobs.add(std::string(media_types::kOciIndex), Json{{"schemaVersion", 2}, {"manifests", manifests}}.dump());
}

WalkOptions options(Missing missing) { return {missing, "the archive", {"linux", "amd64", ""}}; }

}  // namespace

TEST_CASE("a manifest's walk labels it with its config and layers, parents first") {
  MemoryBlobs blobs;
  auto manifest = addImage(blobs, "a");
  ImageGraph graph = walkImage(blobs, manifest, options(Missing::fail));
  REQUIRE(graph.blobs.size() == 3);
  CHECK(graph.blobs[0].role == "manifest");
  CHECK(graph.blobs[1].role == "config");
  CHECK(graph.blobs[2].role == "layer");
  const metadata::Labels& labels = graph.gcLabels.at(manifest.digest);
  CHECK(labels.at("tenon.io/gc.ref.content.config") == graph.blobs[1].descriptor.digest);
  CHECK(labels.at("tenon.io/gc.ref.content.l.0") == graph.blobs[2].descriptor.digest);
  CHECK(graph.missing.empty());
}

TEST_CASE("an index is labelled with its manifests; another platform's absent manifest is tolerated, and said") {
  MemoryBlobs blobs;
  auto amd64 = addImage(blobs, "amd64");
  auto arm64 = addImage(blobs, "arm64", false);
  auto index = addIndex(blobs, {{amd64, "amd64"}, {arm64, "arm64"}});

  ImageGraph graph = walkImage(blobs, index, options(Missing::failForHostPlatform));
  CHECK(graph.gcLabels.at(index.digest).at("tenon.io/gc.ref.content.m.0") == amd64.digest);
  CHECK(graph.gcLabels.at(index.digest).at("tenon.io/gc.ref.content.m.1") == arm64.digest);
  REQUIRE(graph.missing.size() == 1);
  CHECK(graph.missing[0].find(arm64.digest) != std::string::npos);
  CHECK(graph.missing[0].find("linux/arm64") != std::string::npos);

  try {
    walkImage(blobs, index, options(Missing::fail));
    FAIL("all platforms were required");
  } catch (const Error& e) {
    CHECK(e.code() == TENON_NOT_FOUND);
    CHECK(std::string(e.what()).find(arm64.digest) != std::string::npos);
  }
  CHECK(walkImage(blobs, index, options(Missing::skip)).missing.size() == 1);
}

TEST_CASE("the host platform's parts must be present") {
  MemoryBlobs blobs;
  auto amd64 = addImage(blobs, "amd64", false);
  auto arm64 = addImage(blobs, "arm64");
  auto index = addIndex(blobs, {{amd64, "amd64"}, {arm64, "arm64"}});
  CHECK_THROWS_AS(walkImage(blobs, index, options(Missing::failForHostPlatform)), Error);
  CHECK_NOTHROW(walkImage(blobs, index, options(Missing::skip)));
}

TEST_CASE("a size that differs from the descriptor's, an unknown media type and an oversized document are refused") {
  MemoryBlobs blobs;
  auto manifest = addImage(blobs, "a");
  metadata::Descriptor wrongSize = manifest;
  wrongSize.size += 1;
  CHECK_THROWS_WITH_AS(walkImage(blobs, wrongSize, options(Missing::skip)), doctest::Contains("bytes"), Error);

  metadata::Descriptor unknown = blobs.add("application/x-unknown", "{}");
  auto index = addIndex(blobs, {{unknown, "amd64"}});
  CHECK_THROWS_WITH_AS(walkImage(blobs, index, options(Missing::skip)),
                       doctest::Contains("unsupported media type \"application/x-unknown\""), Error);

  std::string huge(21 << 20, ' ');
  auto big = blobs.add(std::string(media_types::kOciManifest), "{}" + huge);
  CHECK_THROWS_WITH_AS(walkImage(blobs, big, options(Missing::skip)), doctest::Contains("20 MiB"), Error);
}

TEST_CASE("a manifest's foreign layer urls: http(s) ones kept per layer, a malformed list refused") {
  const std::string a = "sha256:" + std::string(64, 'a');
  const std::string b = "sha256:" + std::string(64, 'b');
  auto manifest = [&](const Json& urls) {
    Json layer = {{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"}, {"digest", b}, {"size", 2}};
    if (!urls.is_null()) layer["urls"] = urls;
    Json m = {{"schemaVersion", 2},
              {"mediaType", media_types::kOciManifest},
              {"config", {{"mediaType", media_types::kOciConfig}, {"digest", a}, {"size", 1}}},
              {"layers", Json::array({layer})}};
    return m.dump();
  };
  ManifestDocument plain = parseManifest(manifest(nullptr), media_types::kOciManifest, "m");
  CHECK(plain.layerUrls.empty());
  ManifestDocument foreign = parseManifest(manifest(Json::array({"https://x.example/l", "file:///etc/passwd",
                                                                 "http://y.example/l"})),
                                           media_types::kOciManifest, "m");
  CHECK(foreign.layerUrls == std::map<std::string, std::vector<std::string>>{
                                 {b, {"https://x.example/l", "http://y.example/l"}}});
  CHECK_THROWS_WITH_AS(parseManifest(manifest("https://x"), media_types::kOciManifest, "m"),
                       doctest::Contains("are not a list"), Error);
  CHECK_THROWS_WITH_AS(parseManifest(manifest(Json::array({1})), media_types::kOciManifest, "m"),
                       doctest::Contains("is not a string"), Error);
}
