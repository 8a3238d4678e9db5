#include "unpack/image_layers.hpp"

#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

#include "images/image_documents.hpp"
#include "images/media_types.hpp"
#include "metadata/validation.hpp"

namespace tenon::unpack {

namespace {

namespace media_types = images::media_types;

// Indexes within indexes deeper than this are refused (a cycle needs a hash
// collision, but a long chain is still no image).
constexpr int kMaxIndexDepth = 8;

std::string readDocument(images::BlobSource& blobs, const metadata::Descriptor& d, const std::string& what) {
  std::optional<std::int64_t> size = blobs.size(d.digest);
  if (!size) fail(TENON_NOT_FOUND, what + " is not in the content store");
  if (*size != d.size)
    fail(TENON_INVALID_ARGUMENT, what + " is " + std::to_string(*size) + " bytes, its descriptor says " +
                                     std::to_string(d.size));
  images::checkJsonSize(static_cast<std::size_t>(d.size), what);
  return blobs.read(d.digest, d.size);
}

std::vector<std::string> parseDiffIds(const std::string& bytes, const std::string& what) {
  auto config = nlohmann::json::parse(bytes, nullptr, false);
  if (config.is_discarded() || !config.is_object())
    fail(TENON_INVALID_ARGUMENT, "invalid " + what + ": not a JSON object");
  auto rootfs = config.find("rootfs");
  if (rootfs == config.end() || !rootfs->is_object() || rootfs->value("type", "") != "layers")
    fail(TENON_INVALID_ARGUMENT, "invalid " + what + ": rootfs is not {\"type\": \"layers\", ...}");
  auto ids = rootfs->find("diff_ids");
  if (ids == rootfs->end() || !ids->is_array())
    fail(TENON_INVALID_ARGUMENT, "invalid " + what + ": no rootfs.diff_ids list");
  std::vector<std::string> out;
  for (const auto& id : *ids) {
    if (!id.is_string()) fail(TENON_INVALID_ARGUMENT, "invalid " + what + ": a diff_id is not a string");
    try {
      metadata::validateDigest(id.get<std::string>());
    } catch (const Error& e) {
      fail(TENON_INVALID_ARGUMENT, "invalid " + what + ": " + e.what());
    }
    out.push_back(id.get<std::string>());
  }
  return out;
}

ImageLayers manifestLayers(images::BlobSource& blobs, const metadata::Descriptor& d) {
  std::string what = "manifest " + d.digest;
  images::ManifestDocument manifest = images::parseManifest(readDocument(blobs, d, what), d.mediaType, what);
  std::string configWhat = "config " + manifest.config.digest + " of " + what;
  std::string config = readDocument(blobs, manifest.config, configWhat);
  std::vector<std::string> diffIds = parseDiffIds(config, configWhat);
  if (diffIds.size() != manifest.layers.size())
    fail(TENON_INVALID_ARGUMENT, configWhat + " lists " + std::to_string(diffIds.size()) + " diff_ids for " +
                                     std::to_string(manifest.layers.size()) + " layers");
  return {d, manifest.config, std::move(config), manifest.layers, std::move(diffIds)};
}

std::optional<ImageLayers> search(images::BlobSource& blobs, const metadata::Descriptor& d,
                                  const PlatformChoice& platform, int depth) {
  if (media_types::isManifest(d.mediaType)) return manifestLayers(blobs, d);
  if (!media_types::isIndex(d.mediaType))
    fail(TENON_INVALID_ARGUMENT, "cannot unpack " + d.digest + " of media type " + metadata::quote(d.mediaType) +
                                     ": not an index or an image manifest");
  if (depth >= kMaxIndexDepth) fail(TENON_INVALID_ARGUMENT, "index " + d.digest + " nests indexes too deeply");
  std::string what = "index " + d.digest;
  images::IndexDocument index = images::parseIndex(readDocument(blobs, d, what), d.mediaType, what);
  for (const images::ManifestEntry& entry : index.manifests) {
    if (entry.platform && !platform.accepts(*entry.platform)) continue;
    if (auto found = search(blobs, entry.descriptor, platform, depth + 1)) return found;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ImageLayers> imageLayers(images::BlobSource& blobs, const metadata::Descriptor& target,
                                       const PlatformChoice& platform) {
  return search(blobs, target, platform, 0);
}

}  // namespace tenon::unpack
