// Archives that must be refused: each gives one clear error line and exit 1, leaves no
// image record, and once garbage is collected, no blob behind.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "image_archives.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

// Imports `archive` into a fresh daemon (so that no blob is shared with anything else),
// expects a refusal naming `expected`, then checks nothing is left.
void expectRefused(const std::string& archive, const std::vector<std::string>& expected,
                   std::vector<std::string> args = {"--name", "example.com/hostile:1"}) {
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  args.push_back("--quiet");  // progress aside, the error is one line
  ProcessResult result = importArchive(daemon, "hostile", archive, args);
  CAPTURE(result.err);
  CHECK(result.status.code == 1);
  CHECK(result.out.empty());
  CHECK(isOneLine(result.err));
  CHECK(result.err.starts_with("ctr: "));
  for (const auto& part : expected) CHECK(contains(result.err, part));

  CHECK(listedImages(daemon, "hostile").empty());
  ProcessResult leases = runCtr(daemon.address(), {"-n", "hostile", "leases", "ls", "-q"});
  CHECK(leases.out.empty());  // the import's lease went with it
  REQUIRE(runCtr(daemon.address(), {"gc"}).status.code == 0);
  CHECK(listedDigests(daemon, "hostile").empty());
  CHECK(blobFilesOnDisk(daemon) == 0);
  CHECK(daemon.stop().code == 0);
}

std::string blobPath(const std::string& digest) { return "blobs/sha256/" + digest.substr(7); }

}  // namespace

TEST_CASE("a truncated archive is refused as truncated") {
  TempDir dir{"tenon-hostile"};
  std::string whole = readFile(busyboxArchives().layoutTar);
  std::string archive = dir / "truncated.tar";
  writeFile(archive, whole.substr(0, whole.size() / 2));
  expectRefused(archive, {"truncated"});
}

TEST_CASE("a blob whose bytes do not match its digest is refused, naming it") {
  const BusyboxArchives& busybox = busyboxArchives();
  TempDir dir{"tenon-hostile"};
  std::string config = readFile(busybox.layoutDir + "/" + blobPath(busybox.configDigest));
  config[config.size() / 2] ^= 1;
  std::string archive = dir / "corrupt.tar";
  writeTar(archive, layoutEntries({{blobPath(busybox.configDigest), config}}));
  expectRefused(archive, {blobPath(busybox.configDigest), "does not match its digest"});
}

TEST_CASE("an index.json over 20 MiB is refused at the cap, naming it") {
  TempDir dir{"tenon-hostile"};
  auto index = nlohmann::json::parse(layoutFiles()["index.json"]);
  index["annotations"] = {{"padding", std::string(21 << 20, 'x')}};
  std::string archive = dir / "huge-index.tar";
  writeTar(archive, layoutEntries({{"index.json", index.dump()}}));
  expectRefused(archive, {"index.json", "20 MiB"});
}

TEST_CASE("an unknown media type in index.json is refused, naming it") {
  TempDir dir{"tenon-hostile"};
  auto index = nlohmann::json::parse(layoutFiles()["index.json"]);
  index["manifests"][0]["mediaType"] = "application/vnd.example.unknown+json";
  std::string archive = dir / "unknown.tar";
  writeTar(archive, layoutEntries({{"index.json", index.dump()}}));
  expectRefused(archive, {"unsupported media type", "application/vnd.example.unknown+json"});
}

TEST_CASE("entries that climb out of the archive are refused, naming them") {
  TempDir dir{"tenon-hostile"};
  std::string dotdot = dir / "dotdot.tar";
  TarEntries entries = layoutEntries();
  entries.insert(entries.begin() + 1, {"../escaped", "x"});
  writeTar(dotdot, entries);
  expectRefused(dotdot, {"\"../escaped\"", ".."});

  std::string absolute = dir / "absolute.tar";
  entries = layoutEntries();
  entries.insert(entries.begin() + 1, {"/etc/escaped", "x"});
  writeTar(absolute, entries);
  expectRefused(absolute, {"/etc/escaped", "absolute"});

  std::string symlink = dir / "symlink.tar";
  entries = layoutEntries();
  entries.insert(entries.begin() + 1, {"etc -> ../../etc", ""});
  writeTar(symlink, entries);
  expectRefused(symlink, {"\"etc\"", "leaves the archive"});
}

TEST_CASE("an image without a name is refused, asking for --name") {
  expectRefused(busyboxArchives().layoutTar, {"--name", "latest"}, {});
}

TEST_CASE("what is neither an OCI layout nor a docker-archive is refused") {
  TempDir dir{"tenon-hostile"};
  std::string archive = dir / "other.tar";
  writeTar(archive, {{"hello.txt", "hello"}});
  expectRefused(archive, {"not an image archive"});
}
