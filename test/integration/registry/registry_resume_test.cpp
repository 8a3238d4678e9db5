// A registry killed mid-pull: the pull fails cleanly (nothing recorded, no blob
// committed), and once the registry is back the next pull resumes the layer
// from the partial ingest and completes it with the right bytes.
#include <doctest/doctest.h>

#include <filesystem>
#include <thread>

#include "local_registry.hpp"
#include "registry_ctr.hpp"
#include "registry_upload.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

// The largest offset `ctr content active` reports in `ns` (0 when no ingest is
// in progress).
int64_t largestIngestOffset(const TestDaemon &daemon, const std::string &ns) {
  int64_t largest = 0;
  for (const auto &ingest : nlohmann::json::parse(
           ctrOk(daemon, {"-n", ns, "content", "active", "--format", "json"})
               .out))
    largest = std::max(largest, ingest.at("offset").get<int64_t>());
  return largest;
}

// N in the first "resuming at N bytes" of `output`; -1 when there is none.
int64_t resumedAt(const std::string &output) {
  const std::string said = "resuming at ";
  size_t at = output.find(said);
  return at == std::string::npos ? -1
                                 : std::stoll(output.substr(at + said.size()));
}

} // namespace

TEST_CASE("a pull cut off by a registry crash fails cleanly; the next pull "
          "resumes the partial layer and completes") {
  LocalRegistry registry;
  // An uncompressed layer of 96 MiB at 20 MB/s: the pull lasts seconds, long
  // enough to be cut.
  std::string tar = tenon::unpack::test::makeTar(
      {tenon::unpack::test::file("big", randomBytes(96 * kMiB, 42))});
  OciImage image =
      makeImage({Layer{tar, sha256Of(tar)}}, hostArchitecture(), kTarLayerType);
  std::string layerDigest = image.layerDigests()[0];
  RegistryUpload(registry, "test/big").image(image, "1");
  std::string ref = registry.reference("test/big:1");
  TestDaemon daemon(registryDaemonOptions(
      "max_download_rate = 20000000\nretries = 1\nconnect_timeout = 2\n"));
  daemon.start();
  TempDir work{"tenon-registry-resume"};

  std::unique_ptr<BackgroundProcess> pull =
      startPull(daemon, "default", ref, work / "first");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (largestIngestOffset(daemon, "default") <
         static_cast<int64_t>(8 * kMiB)) {
    REQUIRE_MESSAGE(pull->running(),
                    "the pull ended before 8 MiB of its layer were in: ",
                    readFile(work / "first"));
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                    "no ingest got past 8 MiB in 30 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  registry.kill();
  std::optional<ExitStatus> ended = pull->waitFor(std::chrono::seconds(60));
  REQUIRE_MESSAGE(ended,
                  "the pull still runs a minute after its registry died");
  std::string first = readFile(work / "first");
  CHECK_MESSAGE(ended->code != 0, first);
  CHECK_MESSAGE(errorLines(first).size() == 1, first);
  CHECK(imageNames(daemon, "default").empty());
  CHECK(snapshotKeys(daemon).empty());
  CHECK_FALSE(includes(listedDigests(daemon), layerDigest));
  CHECK_MESSAGE(largestIngestOffset(daemon, "default") > 0,
                "the partial ingest is gone: nothing to resume");

  registry.start();
  ProcessResult again = pullImage(daemon, "default", ref);
  requireSucceeded(again, "the second pull");
  int64_t resumed = resumedAt(again.out + again.err);
  CHECK_MESSAGE(resumed > 0,
                "the second pull did not say it resumed: ", again.err);
  CHECK(resumed < static_cast<int64_t>(tar.size()));
  CHECK(imageNames(daemon, "default") == std::vector<std::string>{ref});
  CHECK(includes(listedDigests(daemon), layerDigest));
  CHECK(sha256Of(readFile(storedBlobFile(daemon, layerDigest))) == layerDigest);
  CHECK(includes(snapshotKeys(daemon),
                 image.topChainId())); // unpacked: its diff_id matched
  CHECK(largestIngestOffset(daemon, "default") == 0);
}
