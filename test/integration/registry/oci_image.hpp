// Images made here, blob by blob, to push to a registry over its API: a config
// and an OCI manifest over layers (unpack_fixture's Layer: blob + diff_id), and
// indexes of several platforms. Tests may change a manifest's layer descriptors
// (media type, urls) before pushing it: its digest follows.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "unpack_fixture.hpp"

namespace tenon::test {

inline constexpr const char *kOciManifestType =
    "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char *kOciIndexType =
    "application/vnd.oci.image.index.v1+json";
inline constexpr const char *kGzipLayerType =
    "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char *kTarLayerType =
    "application/vnd.oci.image.layer.v1.tar";

struct OciImage {
  std::vector<Layer> layers; // bottom first
  std::string config;        // the config's bytes
  nlohmann::json manifest;

  std::string manifestBytes() const { return manifest.dump(); }
  std::string digest() const { return sha256Of(manifestBytes()); }
  std::string configDigest() const { return sha256Of(config); }
  std::vector<std::string> layerDigests() const;
  // The chain ID of the top layer: the snapshot an unpack of this image ends
  // with.
  std::string topChainId() const;
};

// The architecture umoci recorded in the busybox image it built here: the
// host's, in OCI's words.
std::string hostArchitecture();
// An architecture that is not the host's.
std::string foreignArchitecture();

// A linux image of `layers` for `architecture`, each layer described as
// `layerMediaType`.
OciImage makeImage(const std::vector<Layer> &layers,
                   const std::string &architecture = hostArchitecture(),
                   const std::string &layerMediaType = kGzipLayerType);

// The bytes of an OCI index of `images`, each entry's platform read from its
// config.
std::string indexOf(const std::vector<OciImage> &images);

// A layer of one file, `path`, holding `content`.
Layer oneFileLayer(const std::string &path, const std::string &content);

} // namespace tenon::test
