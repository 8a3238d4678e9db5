// `ctr images push` to a real registry: what skopeo pulls back and umoci
// unpacks is, file for file, what tenon unpacked from the image it pushed.
#include <doctest/doctest.h>

#include "file_tree.hpp"
#include "local_registry.hpp"
#include "registry_ctr.hpp"
#include "registry_upload.hpp"
#include "snapshot_fixture.hpp"

using namespace tenon::test;
using tenon::unpack::test::dir;
using tenon::unpack::test::file;
using tenon::unpack::test::hardLink;
using tenon::unpack::test::symLink;

namespace {

TarEntry owned(TarEntry entry, std::int64_t uid, std::int64_t gid) {
  entry.uid = uid;
  entry.gid = gid;
  return entry;
}

// Two layers with what unpackers get wrong: odd modes (setuid, setgid, sticky,
// 0000), owners, absolute, relative and dangling symlinks, hard links, and an
// upper layer that deletes a file (whiteout), empties a directory (opaque
// whiteout), changes a directory's mode and a file's owner, and turns a file
// into a symlink.
std::vector<Layer> treeLayers() {
  return {
      layerOf({dir("bin"),
               file("bin/tool", "#!/bin/sh\necho tool\n", 04755),
               hardLink("bin/tool-again", "bin/tool"),
               dir("etc"),
               file("etc/config", "a=1\n"),
               file("etc/gone", "deleted above\n"),
               dir("data", 0711),
               owned(file("data/secret", "s\n", 0600), 1000, 1000),
               file("data/none", "", 0),
               file("data/first", "linked\n"),
               hardLink("data/second", "data/first"),
               dir("shared", 01777),
               owned(dir("private", 0700), 65534, 65534),
               owned(file("private/mine", "m\n"), 65534, 65534),
               dir("opaque"),
               file("opaque/old", "hidden by the upper layer\n"),
               symLink("link-absolute", "/etc/config"),
               symLink("link-relative", "etc/config"),
               symLink("dangling", "nowhere/at/all"),
               file("name with spaces", "spaces\n")}),
      layerOf({dir("etc", 0750), file("etc/.wh.gone", ""),
               owned(file("etc/config", "a=2\n", 0640), 1, 2), dir("opaque"),
               file("opaque/.wh..wh..opq", ""), file("opaque/new", "new\n"),
               symLink("data/none", "secret"), dir("upper"),
               owned(file("upper/setgid", "g\n", 02755), 0, 50)})};
}

} // namespace

TEST_CASE("an image ctr images push sent, pulled back by skopeo and unpacked "
          "by umoci, is what tenon unpacked") {
  LocalRegistry registry;
  TestDaemon daemon(registryDaemonOptions());
  daemon.start();
  TempDir work{"tenon-registry-push"};
  std::vector<Layer> layers = treeLayers();
  std::vector<std::string> chainIds =
      writeImageArchive(work / "tree.tar", layers, "example.com/tree:1");
  ProcessResult imported = importArchive(daemon, "default", work / "tree.tar");
  requireSucceeded(imported, "ctr images import");

  std::string ref = registry.reference("test/tree:1");
  requireSucceeded(pushImage(daemon, "default", ref, "example.com/tree:1"),
                   "ctr images push " + ref);
  skopeoCopy("docker://" + ref, "oci:" + work / "pulled" + ":1");
  // The registry got the layers tenon holds, byte for byte.
  auto blob = [&](const std::string &digest) {
    return readFile(work / ("pulled/blobs/sha256/" + digest.substr(7)));
  };
  auto index = nlohmann::json::parse(readFile(work / "pulled/index.json"));
  auto manifest = nlohmann::json::parse(blob(index["manifests"][0]["digest"]));
  REQUIRE(manifest["layers"].size() == layers.size());
  for (size_t i = 0; i < layers.size(); ++i)
    CHECK(manifest["layers"][i]["digest"] == sha256Of(layers[i].blob));

  ProcessResult unpacked = runProcess(
      {"umoci", "unpack", "--image", work / "pulled" + ":1", work / "bundle"},
      {.env = {}, .timeout = std::chrono::seconds(60)});
  REQUIRE_MESSAGE(unpacked.status.code == 0,
                  "umoci unpack failed: ", unpacked.err);
  std::map<std::string, TreeNode> expected = fileTree(work / "bundle/rootfs");

  // A GC root: the GC that ending the push's lease sets off must not collect the view meanwhile.
  ctrOk(daemon, {"snapshots", "view", "--label", "tenon.io/gc.root=push-test", "push-test-view", chainIds.back()});
  std::map<std::string, TreeNode> actual;
  {
    std::filesystem::create_directories(work / "view");
    ShellMount view(daemon, work / "view", "push-test-view");
    actual = fileTree(work / "view");
  }
  ctrOk(daemon, {"snapshots", "rm", "push-test-view"});

  CHECK_FALSE(expected.contains("etc/gone")); // umoci applied the whiteouts...
  CHECK_FALSE(expected.contains("opaque/old"));
  CHECK(expected.at("bin/tool").mode ==
        04755); // ...and kept the modes: the comparison means something
  for (const auto &[path, node] : expected) {
    auto found = actual.find(path);
    CHECK_MESSAGE(found != actual.end(), path,
                  " is missing from tenon's snapshot");
    if (found != actual.end())
      CHECK_MESSAGE(found->second == node, path, ": umoci ", node.describe(),
                    ", tenon ", found->second.describe());
  }
  for (const auto &[path, node] : actual)
    CHECK_MESSAGE(expected.contains(path), path,
                  " is in tenon's snapshot only: ", node.describe());
}

TEST_CASE("ctr images tag then push of the tag alone: the registry's second "
          "tag names the same manifest") {
  LocalRegistry registry;
  TestDaemon daemon(registryDaemonOptions());
  daemon.start();
  TempDir work{"tenon-registry-tag"};
  writeImageArchive(work / "image.tar", {oneFileLayer("tagged", "t\n")},
                    "example.com/tagged:1");
  requireSucceeded(importArchive(daemon, "default", work / "image.tar"),
                   "ctr images import");
  std::string first = registry.reference("test/tagged:1"),
              second = registry.reference("test/tagged:2");
  requireSucceeded(pushImage(daemon, "default", first, "example.com/tagged:1"),
                   "ctr images push " + first);
  ctrOk(daemon, {"images", "tag", "example.com/tagged:1", second});
  requireSucceeded(pushImage(daemon, "default", second),
                   "ctr images push " + second);

  auto registryDigest = [](const std::string &ref) {
    ProcessResult inspected =
        runProcess({"skopeo", "inspect", "--tls-verify=false", "--format",
                    "{{.Digest}}", "docker://" + ref},
                   {.env = {}, .timeout = std::chrono::seconds(60)});
    REQUIRE_MESSAGE(inspected.status.code == 0, "skopeo inspect ", ref, ": ",
                    inspected.err);
    return inspected.out;
  };
  std::string digest = listedImages(daemon, "default")[0]["target"]["digest"];
  CHECK(registryDigest(first) == digest + "\n");
  CHECK(registryDigest(second) == digest + "\n");
}
