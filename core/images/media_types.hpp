// The media types an image graph is made of, OCI's and Docker's, and which
// of them tenon knows how to walk. Anything else at the top of an image is
// refused by name rather than guessed at.
#pragma once

#include <string_view>

namespace tenon::images::media_types {

inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
inline constexpr std::string_view kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

// An OCI index or a Docker manifest list: its children are manifests.
inline bool isIndex(std::string_view mediaType) {
  return mediaType == kOciIndex || mediaType == kDockerManifestList;
}

// An OCI image manifest or a Docker schema 2 manifest: a config and layers.
inline bool isManifest(std::string_view mediaType) {
  return mediaType == kOciManifest || mediaType == kDockerManifest;
}

}  // namespace tenon::images::media_types
