#include "unpack_fixture.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "text_lines.hpp"

#ifndef SNAPSHOT_OVERLAY_PLUGIN
#error "meson defines SNAPSHOT_OVERLAY_PLUGIN, the path of the built snapshot-overlay plugin"
#endif

namespace tenon::test {

namespace {

std::string blobPath(const std::string& digest) { return "blobs/sha256/" + digest.substr(7); }

// The architecture tenond was built for, in OCI's words (the test is built for the same host).
std::string hostArchitecture() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#else
#error "name this host's OCI architecture here"
#endif
}

nlohmann::json descriptor(const std::string& mediaType, const std::string& bytes) {
  return {{"mediaType", mediaType}, {"digest", sha256Of(bytes)}, {"size", bytes.size()}};
}

}  // namespace

DaemonOptions unpackDaemonOptions() {
  DaemonOptions options = contentDaemonOptions();
  options.pluginFiles.push_back(SNAPSHOT_OVERLAY_PLUGIN);
  return options;
}


std::vector<std::string> snapshotKeys(const TestDaemon& daemon, const std::string& ns) {
  return lines(ctrOk(daemon, {"-n", ns, "snapshots", "ls", "-q"}).out);
}

std::vector<std::string> chainIdsOf(const std::vector<std::string>& diffIds) {
  std::vector<std::string> chain;
  for (const std::string& diffId : diffIds)
    chain.push_back(chain.empty() ? diffId : sha256Of(chain.back() + " " + diffId));
  return chain;
}

Layer layerOf(const std::vector<TarEntry>& entries) {
  return {unpack::test::makeTar(entries, unpack::test::TarFilter::gzip), sha256Of(unpack::test::makeTar(entries))};
}

std::vector<Layer> busyboxLayers() {
  const BusyboxArchives& busybox = busyboxArchives();
  auto blob = [&](const std::string& digest) { return readFile(busybox.layoutDir + "/" + blobPath(digest)); };
  auto manifest = nlohmann::json::parse(blob(busybox.manifestDigest));
  auto config = nlohmann::json::parse(blob(busybox.configDigest));
  std::vector<Layer> layers;
  for (std::size_t i = 0; i < manifest["layers"].size(); ++i)
    layers.push_back({blob(manifest["layers"][i]["digest"]), config["rootfs"]["diff_ids"][i]});
  return layers;
}

std::vector<std::string> writeImageArchive(const std::string& path, const std::vector<Layer>& layers,
                                           const std::string& name) {
  TarEntries files{{"oci-layout", R"({"imageLayoutVersion":"1.0.0"})"}};
  nlohmann::json manifestLayers = nlohmann::json::array(), diffIds = nlohmann::json::array();
  std::vector<std::string> ids;
  for (const Layer& layer : layers) {
    files.emplace_back(blobPath(sha256Of(layer.blob)), layer.blob);
    manifestLayers.push_back(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer.blob));
    diffIds.push_back(layer.diffId);
    ids.push_back(layer.diffId);
  }
  std::string config = nlohmann::json{{"architecture", hostArchitecture()},
                                      {"os", "linux"},
                                      {"config", {{"Cmd", {"/bin/sh"}}}},
                                      {"rootfs", {{"type", "layers"}, {"diff_ids", diffIds}}}}
                           .dump();
  std::string manifest = nlohmann::json{{"schemaVersion", 2},
                                        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                        {"config", descriptor("application/vnd.oci.image.config.v1+json", config)},
                                        {"layers", manifestLayers}}
                             .dump();
  nlohmann::json entry = descriptor("application/vnd.oci.image.manifest.v1+json", manifest);
  entry["annotations"] = {{"org.opencontainers.image.ref.name", name}};
  files.emplace_back(blobPath(sha256Of(config)), config);
  files.emplace_back(blobPath(sha256Of(manifest)), manifest);
  files.emplace_back("index.json", nlohmann::json{{"schemaVersion", 2}, {"manifests", {entry}}}.dump());
  writeTar(path, files);
  return chainIdsOf(ids);
}

}  // namespace tenon::test
