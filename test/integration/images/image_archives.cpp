#include "image_archives.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "text_lines.hpp"

namespace fs = std::filesystem;

namespace tenon::test {
namespace {

void run(const std::vector<std::string>& argv) {
  ProcessResult result = runProcess(argv, {.env = {}, .timeout = std::chrono::seconds(60)});
  std::string command;
  for (const auto& arg : argv) command += arg + " ";
  REQUIRE_MESSAGE(result.status.code == 0, command, "failed: ", result.err);
}

BusyboxArchives build(const TempDir& dir) {
  BusyboxArchives a;
  a.layoutDir = dir / "layout";
  std::string bundle = dir / "bundle";
  run({"umoci", "init", "--layout", a.layoutDir});
  run({"umoci", "new", "--image", a.layoutDir + ":latest"});
  std::vector<std::string> unpack = {"umoci", "unpack", "--image", a.layoutDir + ":latest", bundle};
  if (::geteuid() != 0) unpack.insert(unpack.begin() + 2, "--rootless");
  run(unpack);
  fs::create_directories(bundle + "/rootfs/bin");
  fs::copy_file("/bin/busybox", bundle + "/rootfs/bin/busybox");
  fs::create_symlink("busybox", bundle + "/rootfs/bin/sh");
  run({"umoci", "repack", "--image", a.layoutDir + ":latest", bundle});
  a.layoutTar = dir / "layout.tar";
  run({"tar", "-C", a.layoutDir, "-cf", a.layoutTar, "."});
  a.skopeoTar = dir / "skopeo.tar";
  run({"skopeo", "--insecure-policy", "copy", "oci:" + a.layoutDir + ":latest", "oci-archive:" + a.skopeoTar + ":latest"});
  a.dockerTar = dir / "docker.tar";
  run({"skopeo", "--insecure-policy", "copy", "oci:" + a.layoutDir + ":latest",
       "docker-archive:" + a.dockerTar + ":busybox:latest"});

  // What the image is, read from the layout itself rather than from tenon.
  auto index = nlohmann::json::parse(readFile(a.layoutDir + "/index.json"));
  REQUIRE(index["manifests"].size() == 1);
  a.manifestDigest = index["manifests"][0]["digest"];
  a.imageSize = index["manifests"][0]["size"];
  auto blob = [&](const std::string& digest) { return readFile(a.layoutDir + "/blobs/sha256/" + digest.substr(7)); };
  auto manifest = nlohmann::json::parse(blob(a.manifestDigest));
  a.configDigest = manifest["config"]["digest"];
  a.imageSize += manifest["config"]["size"].get<int64_t>();
  a.reachable = {a.manifestDigest, a.configDigest};
  for (const auto& layer : manifest["layers"]) {
    a.imageSize += layer["size"].get<int64_t>();
    a.reachable.push_back(layer["digest"]);
  }
  return a;
}

}  // namespace

const BusyboxArchives& busyboxArchives() {
  static TempDir dir{"tenon-busybox"};
  static BusyboxArchives archives = build(dir);
  return archives;
}

std::map<std::string, std::string> layoutFiles() {
  std::map<std::string, std::string> files;
  const std::string& root = busyboxArchives().layoutDir;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file()) files[fs::relative(entry.path(), root).string()] = readFile(entry.path());
  return files;
}

void writeTar(const std::string& path, const TarEntries& entries) {
  std::unique_ptr<archive, decltype(&archive_write_free)> tar(archive_write_new(), archive_write_free);
  archive_write_set_format_pax_restricted(tar.get());
  REQUIRE(archive_write_open_filename(tar.get(), path.c_str()) == ARCHIVE_OK);
  for (const auto& [name, bytes] : entries) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), archive_entry_free);
    size_t arrow = name.find(" -> ");
    archive_entry_set_pathname(entry.get(), name.substr(0, arrow).c_str());
    if (arrow != std::string::npos) {
      archive_entry_set_filetype(entry.get(), AE_IFLNK);
      archive_entry_set_symlink(entry.get(), name.substr(arrow + 4).c_str());
    } else {
      archive_entry_set_filetype(entry.get(), AE_IFREG);
      archive_entry_set_size(entry.get(), static_cast<la_int64_t>(bytes.size()));
    }
    archive_entry_set_perm(entry.get(), 0644);
    REQUIRE(archive_write_header(tar.get(), entry.get()) == ARCHIVE_OK);
    if (!bytes.empty())
      REQUIRE(archive_write_data(tar.get(), bytes.data(), bytes.size()) == static_cast<la_ssize_t>(bytes.size()));
  }
  REQUIRE(archive_write_close(tar.get()) == ARCHIVE_OK);
}

TarEntries layoutEntries(const std::map<std::string, std::string>& changes) {
  std::map<std::string, std::string> files = layoutFiles();
  for (const auto& [path, bytes] : changes) files[path] = bytes;
  TarEntries entries;
  for (const auto& [path, bytes] : files)
    if (path != "index.json") entries.emplace_back(path, bytes);
  entries.emplace_back("index.json", files["index.json"]);
  return entries;
}

nlohmann::json listedImages(const TestDaemon& daemon, const std::string& ns) {
  ProcessResult ls = runCtr(daemon.address(), {"-n", ns, "images", "ls", "--format", "json"});
  REQUIRE_MESSAGE(ls.status.code == 0, ls.err);
  return nlohmann::json::parse(ls.out);
}

size_t blobFilesOnDisk(const TestDaemon& daemon) {
  fs::path blobs = daemon.root() + "/content.local/blobs/sha256";
  if (!fs::exists(blobs)) return 0;
  return static_cast<size_t>(std::distance(fs::directory_iterator(blobs), fs::directory_iterator()));
}

ProcessResult importArchive(const TestDaemon& daemon, const std::string& ns, const std::string& file,
                            std::vector<std::string> args) {
  std::vector<std::string> argv = {"-n", ns, "images", "import"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(file);
  return runCtr(daemon.address(), argv, {.env = {}, .timeout = std::chrono::seconds(30)});
}

}  // namespace tenon::test
