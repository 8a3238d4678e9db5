// tenond killed (SIGKILL) in the middle of an import: after a restart no blob listed is
// corrupt, and the same import runs to completion, taking over the ingest left behind.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "image_archives.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

// Every blob the namespace lists has the bytes its digest says.
void checkNoCorruptBlob(const TestDaemon& daemon) {
  for (const std::string& digest : listedDigests(daemon)) {
    ProcessResult blob = runCtr(daemon.address(), {"content", "get", digest});
    REQUIRE(blob.status.code == 0);
    CHECK(sha256Of(blob.out) == digest);
  }
}

}  // namespace

TEST_CASE("an import cut by SIGKILL of tenond leaves no corrupt blob and runs again to completion") {
  TempDir dir{"tenon-crash"};
  // A layer big enough to be caught in the middle of, first in the archive.
  std::string layer = randomBytes(24 * kMiB, 7);
  std::string layerDigest = sha256Of(layer);
  nlohmann::json config = {{"architecture", "amd64"}, {"os", "linux"},
                           {"rootfs", {{"type", "layers"}, {"diff_ids", {layerDigest}}}}};
  std::string configBytes = config.dump();
  nlohmann::json manifest = {
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
      {"config", {{"mediaType", "application/vnd.oci.image.config.v1+json"}, {"digest", sha256Of(configBytes)},
                  {"size", configBytes.size()}}},
      {"layers", {{{"mediaType", "application/vnd.oci.image.layer.v1.tar"}, {"digest", layerDigest},
                   {"size", layer.size()}}}}};
  std::string manifestBytes = manifest.dump();
  std::string manifestDigest = sha256Of(manifestBytes);
  nlohmann::json index = {{"schemaVersion", 2},
                          {"manifests",
                           {{{"mediaType", "application/vnd.oci.image.manifest.v1+json"}, {"digest", manifestDigest},
                             {"size", manifestBytes.size()},
                             {"annotations", {{"io.containerd.image.name", "example.com/big:1"}}}}}}};
  std::string archive = dir / "big.tar";
  writeTar(archive, {{"blobs/sha256/" + layerDigest.substr(7), layer},
                     {"blobs/sha256/" + sha256Of(configBytes).substr(7), configBytes},
                     {"blobs/sha256/" + manifestDigest.substr(7), manifestBytes},
                     {"oci-layout", R"({"imageLayoutVersion":"1.0.0"})"},
                     {"index.json", index.dump()}});
  std::string bytes = readFile(archive);

  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  std::string ingestRef = "import-" + layerDigest.substr(7);
  {
    CtrWithInput ctr(daemon.address(), {"images", "import", "-"});
    REQUIRE(ctr.feed(std::string_view(bytes).substr(0, bytes.size() / 2)));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (ingestOffset(daemon, ingestRef).value_or(0) == 0) {
      REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "the layer's ingest never started");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    daemon.kill9();
    ProcessResult cut = ctr.finish();
    CAPTURE(cut.err);
    CHECK(cut.status.code == 1);
    CHECK(isOneLine(cut.err));
  }

  daemon.start();
  CHECK(listedImages(daemon, "default").empty());
  checkNoCorruptBlob(daemon);
  CHECK(ingestOffset(daemon, ingestRef).value_or(0) > 0);  // kept, for the next import to take over

  ProcessResult again = importArchive(daemon, "default", archive);
  REQUIRE_MESSAGE(again.status.code == 0, again.err);
  nlohmann::json images = listedImages(daemon, "default");
  REQUIRE(images.size() == 1);
  CHECK(images[0]["name"] == "example.com/big:1");
  CHECK(images[0]["target"]["digest"] == manifestDigest);
  CHECK_FALSE(ingestOffset(daemon, ingestRef).has_value());  // taken over and committed
  checkNoCorruptBlob(daemon);
  std::vector<std::string> listed = listedDigests(daemon);
  CHECK(std::find(listed.begin(), listed.end(), layerDigest) != listed.end());
  CHECK(daemon.stop().code == 0);
}
