#include "oci_image.hpp"

#include <doctest/doctest.h>

namespace tenon::test {

namespace {

nlohmann::json descriptor(const std::string &mediaType,
                          const std::string &bytes) {
  return {{"mediaType", mediaType},
          {"digest", sha256Of(bytes)},
          {"size", bytes.size()}};
}

} // namespace

std::vector<std::string> OciImage::layerDigests() const {
  std::vector<std::string> digests;
  for (const Layer &layer : layers)
    digests.push_back(sha256Of(layer.blob));
  return digests;
}

std::string OciImage::topChainId() const {
  std::vector<std::string> diffIds;
  for (const Layer &layer : layers)
    diffIds.push_back(layer.diffId);
  REQUIRE_MESSAGE(!diffIds.empty(), "an image without layers has no chain ID");
  return chainIdsOf(diffIds).back();
}

std::string hostArchitecture() {
  const BusyboxArchives &busybox = busyboxArchives();
  auto config = nlohmann::json::parse(readFile(
      busybox.layoutDir + "/blobs/sha256/" + busybox.configDigest.substr(7)));
  return config.at("architecture").get<std::string>();
}

std::string foreignArchitecture() {
  return hostArchitecture() == "arm64" ? "amd64" : "arm64";
}

OciImage makeImage(const std::vector<Layer> &layers,
                   const std::string &architecture,
                   const std::string &layerMediaType) {
  OciImage image{layers, "", {}};
  nlohmann::json diffIds = nlohmann::json::array(),
                 descriptors = nlohmann::json::array();
  for (const Layer &layer : layers) {
    diffIds.push_back(layer.diffId);
    descriptors.push_back(descriptor(layerMediaType, layer.blob));
  }
  image.config =
      nlohmann::json{{"architecture", architecture},
                     {"os", "linux"},
                     {"config", {{"Cmd", {"/bin/sh"}}, {"Env", {"PATH=/bin"}}}},
                     {"rootfs", {{"type", "layers"}, {"diff_ids", diffIds}}}}
          .dump();
  image.manifest = {
      {"schemaVersion", 2},
      {"mediaType", kOciManifestType},
      {"config",
       descriptor("application/vnd.oci.image.config.v1+json", image.config)},
      {"layers", descriptors}};
  return image;
}

std::string indexOf(const std::vector<OciImage> &images) {
  nlohmann::json manifests = nlohmann::json::array();
  for (const OciImage &image : images) {
    auto config = nlohmann::json::parse(image.config);
    nlohmann::json entry = descriptor(kOciManifestType, image.manifestBytes());
    entry["platform"] = {{"os", config.at("os")},
                         {"architecture", config.at("architecture")}};
    manifests.push_back(entry);
  }
  return nlohmann::json{{"schemaVersion", 2},
                        {"mediaType", kOciIndexType},
                        {"manifests", manifests}}
      .dump();
}

Layer oneFileLayer(const std::string &path, const std::string &content) {
  return layerOf({unpack::test::file(path, content)});
}

} // namespace tenon::test
