// Pulls that must fail, each with one clear message and nothing recorded:
// hostile layers (refused naming the entry, nothing written outside), unknown
// tags, repositories and digests, a malformed digest, an unknown layer media
// type, a blob whose bytes the registry's storage no longer matches.
#include <doctest/doctest.h>

#include <filesystem>

#include "file_tree.hpp"
#include "local_registry.hpp"
#include "registry_ctr.hpp"
#include "registry_upload.hpp"
#include "text_lines.hpp"

using namespace tenon::test;
using tenon::unpack::test::file;
using tenon::unpack::test::hardLink;
using tenon::unpack::test::symLink;

namespace {

// The pull failed with one "ctr: " line holding every one of `said`, and left
// no image and no snapshot in `ns`.
void checkFailedCleanly(const TestDaemon &daemon, const std::string &ns,
                        const ProcessResult &pull,
                        const std::vector<std::string> &said) {
  CHECK(pull.status.code != 0);
  std::vector<std::string> errors = errorLines(pull.err);
  REQUIRE_MESSAGE(errors.size() == 1, pull.err);
  for (const std::string &part : said)
    CHECK_MESSAGE(contains(lowercase(errors[0]), lowercase(part)), errors[0]);
  CHECK(imageNames(daemon, ns).empty());
  CHECK(snapshotKeys(daemon, ns).empty());
}

} // namespace

TEST_CASE("hostile layers from a registry fail the pull naming the entry; "
          "nothing outside changes, nothing is kept") {
  LocalRegistry registry;
  TestDaemon daemon(registryDaemonOptions());
  daemon.start();
  TempDir canary{"tenon-registry-canary"};
  std::filesystem::create_directories(canary / "dir");
  writeFile(canary / "dir/keep", "keep\n");
  std::map<std::string, TreeNode> canaryBefore = fileTree(canary.path());
  std::string passwdBefore = readFile("/etc/passwd");
  std::string unique =
      canary.path().filename().string(); // no other test run uses this name
  struct Case {
    std::string name;
    std::vector<TarEntry> entries;
    std::string entry;
  } cases[] = {
      {"escape",
       {file("../" + unique + "-escape", "x")},
       "../" + unique + "-escape"},
      {"symlink-out",
       {symLink("etc", canary / "dir"), file("etc/x", "x")},
       "etc/x"},
      {"hardlink-passwd", {hardLink("passwd", "/etc/passwd")}, "passwd"},
      {"symlink-up", {symLink("up", "../../.."), file("up/x", "x")}, "up/x"},
  };
  for (const Case &c : cases) {
    CAPTURE(c.name);
    RegistryUpload(registry, "test/" + c.name)
        .image(makeImage({layerOf(c.entries)}), "1");
    checkFailedCleanly(
        daemon, c.name,
        pullImage(daemon, c.name, registry.reference("test/" + c.name + ":1")),
        {"entry \"" + c.entry + "\" refused"});
  }

  // An absolute name is either refused, naming it, or written inside the
  // snapshot: never at the host's root.
  std::string absolute = "/" + unique + "-absolute";
  RegistryUpload(registry, "test/absolute")
      .image(makeImage({layerOf({file(absolute, "x")})}), "1");
  ProcessResult pulled =
      pullImage(daemon, "absolute", registry.reference("test/absolute:1"));
  if (pulled.status.code != 0)
    CHECK_MESSAGE(contains(pulled.err, "entry \"" + absolute + "\""),
                  pulled.err);
  CHECK_FALSE(std::filesystem::exists(absolute));

  CHECK(fileTree(canary.path()) == canaryBefore);
  CHECK(readFile("/etc/passwd") == passwdBefore);
  CHECK_FALSE(std::filesystem::exists(canary.path().parent_path() /
                                      (unique + "-escape")));
  for (const auto &entry :
       std::filesystem::recursive_directory_iterator(daemon.dir().path()))
    CHECK_MESSAGE(!entry.path().filename().string().ends_with("-escape"),
                  entry.path());
  CHECK(daemon.running());
}

TEST_CASE("unknown tags, repositories and digests, a bad digest, an unknown "
          "media type, a corrupt blob: one message each") {
  LocalRegistry registry;
  OciImage busybox = makeImage(busyboxLayers());
  RegistryUpload(registry, "test/busybox").image(busybox, "1");
  OciImage unknownType =
      makeImage({oneFileLayer("x", "x\n")}, hostArchitecture(),
                "application/vnd.example.unknown");
  RegistryUpload(registry, "test/unknown-type").image(unknownType, "1");
  // Uncompressed, so that no gzip CRC catches the corruption first.
  std::string tar = tenon::unpack::test::makeTar(
      {file("random", randomBytes(256 * 1024, 6))});
  OciImage corrupt =
      makeImage({Layer{tar, sha256Of(tar)}}, hostArchitecture(), kTarLayerType);
  RegistryUpload(registry, "test/corrupt").image(corrupt, "1");
  // Same size, other bytes inside the file's data: only a digest check can
  // tell.
  std::string stored = readFile(registry.blobFile(corrupt.layerDigests()[0]));
  REQUIRE(stored == corrupt.layers[0].blob);
  stored[stored.size() / 2] ^= 0x5a;
  writeFile(registry.blobFile(corrupt.layerDigests()[0]), stored);
  TestDaemon daemon(registryDaemonOptions());
  daemon.start();

  std::string unpushed = sha256Of("never pushed");
  struct Case {
    std::string name, reference;
    std::vector<std::string> said;
  } cases[] = {
      {"unknown-tag", "test/busybox:nope", {"not found", "nope"}},
      {"unknown-repository", "test/nothing:1", {"not found", "test/nothing"}},
      {"unknown-digest", "test/busybox@" + unpushed, {"not found", unpushed}},
      {"malformed-digest", "test/busybox@sha256:1234", {"digest"}},
      {"unknown-media-type",
       "test/unknown-type:1",
       {"application/vnd.example.unknown"}},
      {"corrupt-blob", "test/corrupt:1", {"digest"}},
  };
  for (const Case &c : cases) {
    CAPTURE(c.name);
    checkFailedCleanly(
        daemon, c.name,
        pullImage(daemon, c.name, registry.reference(c.reference)), c.said);
    CHECK(daemon.running());
  }
  CHECK_FALSE(includes(listedDigests(daemon, "corrupt-blob"),
                       corrupt.layerDigests()[0]));
  CHECK_FALSE(std::filesystem::exists(
      storedBlobFile(daemon, corrupt.layerDigests()[0])));
  requireSucceeded(
      pullImage(daemon, "after", registry.reference("test/busybox:1")),
      "a pull after the failures");
}
