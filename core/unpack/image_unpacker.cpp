#include "unpack/image_unpacker.hpp"

#include <fmt/format.h>

#include <tenon/error.hpp>
#include <vector>

#include "gc/gc_marker.hpp"
#include "images/image_store.hpp"
#include "images/stored_blobs.hpp"
#include "unpack/chain_id.hpp"
#include "unpack/image_layers.hpp"
#include "unpack/layer_extraction.hpp"
#include "unpack/unpack_lease.hpp"

namespace tenon::unpack {

struct ImageUnpacker::Image {
  const UnpackRequest& request;
  const snapshots::NamespacedSnapshotter& snapshotter;
  const UnpackProgress& progress;
  ImageLayers layers;
  std::vector<std::string> chain;  // chain[i]: the chain ID of layers 0..i
  UnpackLease lease;

  void report(const UnpackEvent& event) const {
    if (progress) progress(event);
  }
};

namespace {

// Whether `key` is a committed snapshot of `ns`. Throws failed_precondition
// when the key is taken by an active snapshot or a view: committing over it
// would fail anyway, and it is someone else's.
bool committed(const snapshots::NamespacedSnapshotter& snapshotter, const std::string& ns, const std::string& key) {
  if (!snapshotter.exists(ns, key)) return false;
  std::optional<snapshots::SnapshotKind> kind = snapshotter.stat(ns, key).kind;
  if (kind && *kind != snapshots::SnapshotKind::committed)
    fail(TENON_FAILED_PRECONDITION, std::string("snapshot ") + key + " exists but is " + snapshots::kindName(kind) +
                                        ", not committed: remove it to unpack this layer");
  return true;
}

}  // namespace

ImageUnpacker::ImageUnpacker(const content::ContentStore& content, metadata::MetadataStore& metadata,
                             const std::map<std::string, snapshots::NamespacedSnapshotter>& snapshotters,
                             UnpackLimits limits)
    : content_(content), metadata_(metadata), snapshotters_(snapshotters), limits_(limits) {}

const snapshots::NamespacedSnapshotter& ImageUnpacker::snapshotter(const std::string& name) const {
  auto it = snapshotters_.find(name);
  if (it == snapshotters_.end())
    fail(TENON_NOT_FOUND, "snapshotter \"" + name + "\" is not loaded (see ctr plugins ls)");
  return it->second;
}

UnpackResult ImageUnpacker::unpack(const UnpackRequest& request, const UnpackProgress& progress,
                                   std::stop_token stop) {
  if (auto result = unpackIfPresent(request, progress, std::move(stop))) return *result;
  std::string image = request.image.empty() ? request.target.digest : request.image;
  fail(TENON_NOT_FOUND, "image " + image + " has no manifest for " + choosePlatform(request.platform).text());
}

std::optional<UnpackResult> ImageUnpacker::unpackIfPresent(const UnpackRequest& request,
                                                           const UnpackProgress& progress, std::stop_token stop) {
  const snapshots::NamespacedSnapshotter& target = snapshotter(request.snapshotter);
  images::StoredBlobs blobs(content_, request.ns);
  std::optional<ImageLayers> layers = imageLayers(blobs, request.target, choosePlatform(request.platform));
  if (!layers) return std::nullopt;
  std::vector<std::string> chain = chainIds(layers->diffIds);
  Image image{request, target, progress, std::move(*layers), std::move(chain),
              UnpackLease(metadata_, request.ns, request.lease)};

  UnpackResult result{image.layers.manifest.digest, image.layers.configJson,
                      image.chain.empty() ? "" : image.chain.back(), 0, 0};
  for (std::size_t i = 0; i < image.chain.size(); ++i) ++(unpackLayer(image, i, stop) ? result.applied : result.reused);
  image.lease.finish([&](metadata::WriteTx& tx) {
    if (result.chainId.empty()) return;
    std::string label = std::string(gc::kSnapshotRefPrefix) + target.name();
    images::applyGcLabels(tx, request.ns, {{image.layers.config.digest, {{label, result.chainId}}}});
  });
  image.report({"", result.chainId, 0, 0, true, result.applied == 0});
  return result;
}

bool ImageUnpacker::unpackLayer(Image& image, std::size_t i, std::stop_token stop) {
  const std::string& ns = image.request.ns;
  const std::string& chainId = image.chain[i];
  const metadata::Descriptor& layer = image.layers.layers[i];
  auto reused = [&] {
    image.report({layer.digest, chainId, layer.size, layer.size, true, true});
    return false;
  };
  try {
    image.lease.hold(image.snapshotter.name(), chainId);
    if (committed(image.snapshotter, ns, chainId)) return reused();
    KeyedLocks::Held held = layerLocks_.acquire(ns + '\0' + image.snapshotter.name() + '\0' + chainId, stop);
    if (committed(image.snapshotter, ns, chainId)) return reused();  // the unpack we waited for made it
    std::string parent = i > 0 ? image.chain[i - 1] : "";
    LayerExtraction job{ns, image.snapshotter, layer, image.layers.diffIds[i], chainId, parent, image.request.feed};
    auto onBytes = [&](std::int64_t bytes) { image.report({layer.digest, chainId, bytes, layer.size, false, false}); };
    extractLayer(job, content_, image.lease, limits_.maxLayerBytes, onBytes, std::move(stop));
    image.report({layer.digest, chainId, layer.size, layer.size, true, false});
    return true;
  } catch (const Error& e) {
    fail(e.code(), fmt::format("layer {} ({}/{}): {}", layer.digest, i + 1, image.chain.size(), e.what()));
  }
}

}  // namespace tenon::unpack
