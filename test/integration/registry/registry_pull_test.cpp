// Pulls from a real registry (Debian's docker-registry): an image umoci built
// and skopeo pushed runs with `ctr run --rm`; a multi-platform index gives the
// host's manifest, the one --platform names, or all of them; two pulls sharing
// a base layer at once both succeed.
#include <doctest/doctest.h>

#include "local_registry.hpp"
#include "registry_ctr.hpp"
#include "registry_upload.hpp"
#include "run_fixture.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

TEST_CASE("an image umoci built and skopeo pushed is pulled from the registry "
          "and ctr run --rm runs it") {
  LocalRegistry registry;
  std::string ref = registry.reference("test/busybox:1");
  skopeoCopy("oci:" + busyboxArchives().layoutDir + ":latest",
             "docker://" + ref);
  tenon::run_test::RunFixture fixture;

  requireSucceeded(fixture.ctr({"images", "pull", "--plain-http", ref},
                               std::chrono::minutes(2)),
                   "ctr images pull " + ref);
  CHECK(includes(lines(fixture.ctrOk({"images", "ls", "-q"}).out), ref));
  ProcessResult ran = fixture.ctr({"run", "--rm", ref, "pulled", "/bin/sh",
                                   "-c", "echo pulled from a registry"});
  requireSucceeded(ran, "ctr run --rm " + ref);
  CHECK(ran.out == "pulled from a registry\n");
  CHECK(fixture.containers().empty());
}

TEST_CASE("a multi-platform index: the host's manifest by default, --platform "
          "picks another, --all-platforms takes all") {
  LocalRegistry registry;
  OciImage host = makeImage({oneFileLayer("platform", hostArchitecture())});
  OciImage other = makeImage({oneFileLayer("platform", foreignArchitecture())},
                             foreignArchitecture());
  std::string indexDigest =
      RegistryUpload(registry, "test/multi").index({host, other}, "1");
  std::string ref = registry.reference("test/multi:1");
  TestDaemon daemon(registryDaemonOptions());
  daemon.start();
  auto requireOneImage = [&](const std::string &ns) {
    nlohmann::json images = listedImages(daemon, ns);
    REQUIRE(images.size() == 1);
    CHECK(images[0]["name"] == ref);
    CHECK(images[0]["target"]["digest"] == indexDigest);
  };

  INFO("the host is ", hostArchitecture());
  requireSucceeded(pullImage(daemon, "host", ref), "ctr images pull " + ref);
  requireOneImage("host");
  std::vector<std::string> digests = listedDigests(daemon, "host");
  for (const std::string &digest :
       {indexDigest, host.digest(), host.configDigest(),
        host.layerDigests()[0]})
    CHECK_MESSAGE(includes(digests, digest), digest, " is not in content ls");
  CHECK_FALSE(includes(digests, other.configDigest()));
  CHECK_FALSE(includes(digests, other.layerDigests()[0]));
  CHECK(snapshotKeys(daemon, "host") ==
        std::vector<std::string>{host.topChainId()});

  std::string platform = "linux/" + foreignArchitecture();
  requireSucceeded(
      pullImage(daemon, "other", ref, {"--platform", platform, "--no-unpack"}),
      "ctr images pull --platform " + platform);
  requireOneImage("other");
  digests = listedDigests(daemon, "other");
  for (const std::string &digest :
       {other.digest(), other.configDigest(), other.layerDigests()[0]})
    CHECK_MESSAGE(includes(digests, digest), digest, " is not in content ls");
  CHECK_FALSE(includes(digests, host.configDigest()));
  CHECK(snapshotKeys(daemon, "other").empty());

  requireSucceeded(pullImage(daemon, "all", ref, {"--all-platforms"}),
                   "ctr images pull --all-platforms");
  requireOneImage("all");
  digests = listedDigests(daemon, "all");
  for (const OciImage *image : {&host, &other})
    for (const std::string &digest :
         {image->digest(), image->configDigest(), image->layerDigests()[0]})
      CHECK_MESSAGE(includes(digests, digest), digest, " is not in content ls");
  CHECK(snapshotKeys(daemon, "all") ==
        std::vector<std::string>{
            host.topChainId()}); // only the host's is unpacked
}

TEST_CASE("two pulls of images on one base layer, started at once, both "
          "succeed and share its snapshot") {
  LocalRegistry registry;
  std::vector<Layer> base = busyboxLayers();
  std::vector<Layer> oneLayers = base, twoLayers = base;
  oneLayers.push_back(oneFileLayer("one", "1\n"));
  twoLayers.push_back(oneFileLayer("two", "2\n"));
  OciImage one = makeImage(oneLayers), two = makeImage(twoLayers);
  RegistryUpload upload(registry, "test/shared");
  upload.image(one, "one");
  upload.image(two, "two");
  TestDaemon daemon(registryDaemonOptions());
  daemon.start();
  TempDir dir{"tenon-registry-concurrent"};

  std::unique_ptr<BackgroundProcess> first = startPull(
      daemon, "default", registry.reference("test/shared:one"), dir / "one");
  std::unique_ptr<BackgroundProcess> second = startPull(
      daemon, "default", registry.reference("test/shared:two"), dir / "two");
  std::optional<ExitStatus> firstEnded =
      first->waitFor(std::chrono::minutes(2));
  std::optional<ExitStatus> secondEnded =
      second->waitFor(std::chrono::minutes(2));
  REQUIRE_MESSAGE(firstEnded, "the first pull still runs after 2 minutes");
  REQUIRE_MESSAGE(secondEnded, "the second pull still runs after 2 minutes");
  CHECK_MESSAGE(firstEnded->code == 0, readFile(dir / "one"));
  CHECK_MESSAGE(secondEnded->code == 0, readFile(dir / "two"));

  std::vector<std::string> names = imageNames(daemon, "default");
  CHECK(includes(names, registry.reference("test/shared:one")));
  CHECK(includes(names, registry.reference("test/shared:two")));
  std::vector<std::string> keys = snapshotKeys(daemon);
  std::vector<std::string> baseDiffIds;
  for (const Layer &layer : base)
    baseDiffIds.push_back(layer.diffId);
  CHECK(includes(keys, chainIdsOf(baseDiffIds).back()));
  CHECK(includes(keys, one.topChainId()));
  CHECK(includes(keys, two.topChainId()));
  CHECK(keys.size() ==
        base.size() + 2); // the base's snapshots once, one more per image
  CHECK(lines(ctrOk(daemon, {"content", "active", "-q"}).out).empty());
}
