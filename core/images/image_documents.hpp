// The JSON documents of an image graph — indexes (and Docker manifest lists),
// manifests, configs — parsed into what walking the graph needs, with every
// field checked: a document from an archive or a registry is hostile input.
// Errors are invalid_argument naming the document (`what`).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "images/platform.hpp"
#include "metadata/images.hpp"

namespace tenon::images {

// containerd's bound on a JSON document read from an archive or a registry
// (CVE-2023-25153: a huge manifest must not exhaust the daemon's memory).
inline constexpr std::size_t kMaxJsonBytes = std::size_t{20} << 20;

// A manifest named by an index, with the platform the index says it is for.
struct ManifestEntry {
  metadata::Descriptor descriptor;
  std::optional<Platform> platform;
};

struct IndexDocument {
  std::vector<ManifestEntry> manifests;
};

struct ManifestDocument {
  metadata::Descriptor config;
  std::vector<metadata::Descriptor> layers;
  // Layer digest → the http(s) `urls` its descriptor lists (a foreign layer's
  // other sources, OCI descriptor.md); other schemes are left out.
  std::map<std::string, std::vector<std::string>> layerUrls;
};

// Throws invalid_argument unless `bytes` fits kMaxJsonBytes.
void checkJsonSize(std::size_t bytes, const std::string& what);

// An index (OCI index or Docker manifest list, per `mediaType`). Each entry's
// media type must be one tenon walks (an index or a manifest).
IndexDocument parseIndex(std::string_view bytes, std::string_view mediaType, const std::string& what);
// An OCI or Docker schema 2 manifest.
ManifestDocument parseManifest(std::string_view bytes, std::string_view mediaType, const std::string& what);

}  // namespace tenon::images
