// ctr images import/ls/export against the real tenond, with archives made by umoci and
// skopeo, checked by skopeo and oci-image-tool.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "image_archives.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

bool has(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// The one image `ns` lists, REQUIRing that there is exactly one.
nlohmann::json onlyImage(const TestDaemon& daemon, const std::string& ns) {
  nlohmann::json images = listedImages(daemon, ns);
  REQUIRE(images.size() == 1);
  return images[0];
}

// `ctr gc`, REQUIRing that it succeeds.
void gc(const TestDaemon& daemon) {
  ProcessResult collected = runCtr(daemon.address(), {"gc"});
  REQUIRE_MESSAGE(collected.status.code == 0, collected.err);
}

}  // namespace

TEST_CASE("an umoci layout tar imports under --name with the layout's digest and size; GC keeps exactly its blobs") {
  const BusyboxArchives& busybox = busyboxArchives();
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();

  ProcessResult imported = importArchive(daemon, "default", busybox.layoutTar, {"--name", "example.com/busybox:1"});
  REQUIRE_MESSAGE(imported.status.code == 0, imported.err);
  CHECK(imported.out == "example.com/busybox:1 " + busybox.manifestDigest + "\n");
  CHECK(contains(imported.err, "imported 1 image(s)"));

  nlohmann::json image = onlyImage(daemon, "default");
  CHECK(image["name"] == "example.com/busybox:1");
  CHECK(image["target"]["digest"] == busybox.manifestDigest);
  CHECK(image["target"]["mediaType"] == "application/vnd.oci.image.manifest.v1+json");
  CHECK(image["size"] == busybox.imageSize);
  CHECK(image["platforms"] == nlohmann::json::array({"linux/amd64"}));
  ProcessResult table = runCtr(daemon.address(), {"images", "ls"});
  CHECK(contains(table.out, "REF"));
  CHECK(contains(table.out, busybox.manifestDigest));

  // umoci leaves the blobs of earlier versions in its layout: stored, then collected,
  // since no image reaches them; the image's own blobs stay.
  gc(daemon);
  std::vector<std::string> kept = listedDigests(daemon);
  CHECK(kept.size() == busybox.reachable.size());
  for (const auto& digest : busybox.reachable) CHECK(has(kept, digest));
  CHECK(blobFilesOnDisk(daemon) == busybox.reachable.size());
  ProcessResult check = runCtr(daemon.address(), {"images", "check"});
  CHECK(contains(check.out, "complete"));
}

TEST_CASE("skopeo's oci-archive and docker-archive and a gzip tar import; the docker image gets a schema 2 manifest") {
  const BusyboxArchives& busybox = busyboxArchives();
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();

  ProcessResult oci = importArchive(daemon, "default", busybox.skopeoTar, {"--name", "example.com/skopeo:latest"});
  REQUIRE_MESSAGE(oci.status.code == 0, oci.err);
  ProcessResult docker = importArchive(daemon, "default", busybox.dockerTar);
  REQUIRE_MESSAGE(docker.status.code == 0, docker.err);

  // A gzip-compressed layout tar too (libarchive detects the compression).
  TempDir dir{"tenon-gzip"};
  std::string gzipped = dir / "layout.tar.gz";
  ProcessResult gzip = runProcess({"sh", "-c", "gzip -c < \"$0\" > \"$1\"", busybox.layoutTar, gzipped});
  REQUIRE_MESSAGE(gzip.status.code == 0, gzip.err);
  ProcessResult compressed = importArchive(daemon, "default", gzipped, {"--name", "example.com/gzip:latest"});
  REQUIRE_MESSAGE(compressed.status.code == 0, compressed.err);

  nlohmann::json images = listedImages(daemon, "default");
  REQUIRE(images.size() == 3);
  CHECK(images[2]["name"] == "example.com/skopeo:latest");
  CHECK(images[2]["target"]["digest"] == busybox.manifestDigest);
  CHECK(images[2]["size"] == busybox.imageSize);
  CHECK(images[1]["name"] == "example.com/gzip:latest");
  CHECK(images[1]["target"]["digest"] == busybox.manifestDigest);
  CHECK(images[0]["name"] == "docker.io/library/busybox:latest");  // RepoTags busybox:latest, normalised
  CHECK(images[0]["target"]["mediaType"] == "application/vnd.docker.distribution.manifest.v2+json");

  // The made manifest names the archive's config, and the layer by the digest its bytes
  // have: the uncompressed layer skopeo wrote, which is the config's diff_id.
  std::string manifestDigest = images[0]["target"]["digest"];
  ProcessResult manifest = runCtr(daemon.address(), {"content", "get", manifestDigest});
  REQUIRE(manifest.status.code == 0);
  CHECK(sha256Of(manifest.out) == manifestDigest);
  auto m = nlohmann::json::parse(manifest.out);
  CHECK(m["config"]["digest"] == busybox.configDigest);
  CHECK(m["config"]["mediaType"] == "application/vnd.docker.container.image.v1+json");
  auto config = nlohmann::json::parse(readFile(busybox.layoutDir + "/blobs/sha256/" + busybox.configDigest.substr(7)));
  REQUIRE(m["layers"].size() == 1);
  CHECK(m["layers"][0]["digest"] == config["rootfs"]["diff_ids"][0]);
  CHECK(m["layers"][0]["mediaType"] == "application/vnd.docker.image.rootfs.diff.tar");
  CHECK(images[0]["size"] == static_cast<int64_t>(manifest.out.size()) + m["config"]["size"].get<int64_t>() +
                                 m["layers"][0]["size"].get<int64_t>());
}

TEST_CASE("an export is valid for skopeo and oci-image-tool, and imports in another namespace with the same digest") {
  const BusyboxArchives& busybox = busyboxArchives();
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  TempDir out{"tenon-export"};
  REQUIRE(importArchive(daemon, "a", busybox.layoutTar, {"--name", "example.com/busybox:1"}).status.code == 0);

  std::string archive = out / "busybox.tar";
  ProcessResult exported = runCtr(daemon.address(), {"-n", "a", "images", "export", archive, "example.com/busybox:1"});
  REQUIRE_MESSAGE(exported.status.code == 0, exported.err);
  CHECK(exported.out.empty());
  mode_t mask = ::umask(0);
  ::umask(mask);
  struct stat st{};
  REQUIRE(::stat(archive.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == (0666 & ~mask));  // as a plain create would make it, not mkstemp's 0600

  ProcessResult inspect = runProcess({"skopeo", "--insecure-policy", "inspect", "oci-archive:" + archive});
  REQUIRE_MESSAGE(inspect.status.code == 0, inspect.err);
  CHECK(nlohmann::json::parse(inspect.out)["Digest"] == busybox.manifestDigest);
  std::string extracted = out / "extracted";
  std::filesystem::create_directory(extracted);
  REQUIRE(runProcess({"tar", "-C", extracted, "-xf", archive}).status.code == 0);
  // This oci-image-tool (1.0.0-rc1) validates an image layout as --type image
  // (it autodetects "imageLayout"); its --type imageLayout is unimplemented.
  ProcessResult validate = runProcess({"oci-image-tool", "validate", "--type", "image", extracted});
  CAPTURE(validate.err);
  CHECK(validate.status.code == 0);
  CHECK(contains(validate.out + validate.err, "Validation succeeded"));

  // The full name travels in io.containerd.image.name: no --name needed coming back.
  ProcessResult again = importArchive(daemon, "b", archive);
  REQUIRE_MESSAGE(again.status.code == 0, again.err);
  nlohmann::json image = onlyImage(daemon, "b");
  CHECK(image["name"] == "example.com/busybox:1");
  CHECK(image["target"]["digest"] == busybox.manifestDigest);

  // The same images give the same bytes, to a file or to stdout.
  ProcessResult toStdout = runCtr(daemon.address(), {"-n", "b", "images", "export", "-q", "-", "example.com/busybox:1"});
  REQUIRE(toStdout.status.code == 0);
  CHECK(toStdout.out == readFile(archive));
}

TEST_CASE("a docker image and a multi-platform index round-trip through export, missing platforms tolerated") {
  const BusyboxArchives& busybox = busyboxArchives();
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  TempDir dir{"tenon-index"};
  // An index for amd64 (present) and arm64 (a manifest the archive does not have).
  std::string arm64 = "sha256:" + std::string(64, 'a');
  nlohmann::json index = {
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.oci.image.index.v1+json"},
      {"manifests",
       {{{"mediaType", "application/vnd.oci.image.manifest.v1+json"}, {"digest", busybox.manifestDigest},
         {"size", nlohmann::json::parse(readFile(busybox.layoutDir + "/index.json"))["manifests"][0]["size"]},
         {"platform", {{"os", "linux"}, {"architecture", "amd64"}}}},
        {{"mediaType", "application/vnd.oci.image.manifest.v1+json"}, {"digest", arm64}, {"size", 500},
         {"platform", {{"os", "linux"}, {"architecture", "arm64"}}}}}}};
  std::string indexBytes = index.dump();
  std::string indexDigest = sha256Of(indexBytes);
  nlohmann::json top = {{"schemaVersion", 2},
                        {"manifests",
                         {{{"mediaType", "application/vnd.oci.image.index.v1+json"}, {"digest", indexDigest},
                           {"size", indexBytes.size()},
                           {"annotations", {{"io.containerd.image.name", "example.com/multi:1"}}}}}}};
  std::string multi = dir / "multi.tar";
  writeTar(multi, layoutEntries({{"blobs/sha256/" + indexDigest.substr(7), indexBytes}, {"index.json", top.dump()}}));

  ProcessResult strict = importArchive(daemon, "default", multi, {"--all-platforms"});
  CAPTURE(strict.err);
  CHECK(strict.status.code == 1);
  CHECK(contains(strict.err, arm64));
  ProcessResult loose = importArchive(daemon, "default", multi);
  REQUIRE_MESSAGE(loose.status.code == 0, loose.err);
  CHECK(contains(loose.err, "warning: example.com/multi:1: manifest " + arm64 + " (linux/arm64) is not in the archive"));
  REQUIRE(importArchive(daemon, "default", busybox.dockerTar).status.code == 0);
  nlohmann::json before = listedImages(daemon, "default");
  REQUIRE(before.size() == 2);
  CHECK(before[1]["platforms"] == nlohmann::json::array({"linux/amd64", "linux/arm64"}));

  std::string archive = dir / "both.tar";
  ProcessResult exported = runCtr(daemon.address(), {"images", "export", archive, "example.com/multi:1",
                                                     "docker.io/library/busybox:latest"});
  REQUIRE_MESSAGE(exported.status.code == 0, exported.err);
  CHECK(contains(exported.err, arm64));  // left out, and said so
  REQUIRE(importArchive(daemon, "other", archive).status.code == 0);
  nlohmann::json after = listedImages(daemon, "other");
  REQUIRE(after.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(after[i]["name"] == before[i]["name"]);
    CHECK(after[i]["target"] == before[i]["target"]);
  }
}

TEST_CASE("images are per namespace; tag, label and rm act on records, and GC follows the last rm") {
  const BusyboxArchives& busybox = busyboxArchives();
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  REQUIRE(runCtrWithInput(daemon.address(), {"-n", "a", "images", "import", "-q", "--name", "x/busybox:1", "-"},
                          busybox.layoutTar)
              .status.code == 0);
  CHECK(listedImages(daemon, "b").empty());
  ProcessResult elsewhere = runCtr(daemon.address(), {"-n", "b", "images", "rm", "x/busybox:1"});
  CHECK(elsewhere.status.code == 1);
  CHECK(isOneLine(elsewhere.err));
  CHECK(contains(elsewhere.err, "x/busybox:1"));
  CHECK(runCtr(daemon.address(), {"-n", "b", "images", "export", "-", "x/busybox:1"}).status.code == 1);

  CHECK(runCtr(daemon.address(), {"-n", "a", "images", "tag", "x/busybox:1", "x/busybox:2"}).status.code == 0);
  CHECK(runCtr(daemon.address(), {"-n", "a", "images", "tag", "x/busybox:1", "x/busybox:2"}).status.code == 1);
  CHECK(runCtr(daemon.address(), {"-n", "a", "i", "tag", "--force", "x/busybox:1", "x/busybox:2"}).status.code == 0);
  ProcessResult label = runCtr(daemon.address(), {"-n", "a", "image", "label", "x/busybox:2", "team=blue"});
  CHECK(label.out == "team=blue\n");
  nlohmann::json images = listedImages(daemon, "a");
  REQUIRE(images.size() == 2);
  CHECK(images[1]["target"] == images[0]["target"]);
  CHECK(images[1]["labels"]["team"] == "blue");
  ProcessResult filtered = runCtr(daemon.address(), {"-n", "a", "images", "ls", "-q", "labels.team==blue"});
  CHECK(filtered.out == "x/busybox:2\n");

  REQUIRE(runCtr(daemon.address(), {"-n", "a", "images", "rm", "x/busybox:1"}).status.code == 0);
  gc(daemon);
  CHECK(listedDigests(daemon, "a").size() == busybox.reachable.size());  // x/busybox:2 holds them
  REQUIRE(runCtr(daemon.address(), {"-n", "a", "images", "rm", "x/busybox:2"}).status.code == 0);
  gc(daemon);
  CHECK(listedDigests(daemon, "a").empty());
  CHECK(blobFilesOnDisk(daemon) == 0);
}
