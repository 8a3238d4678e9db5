// Unpack: an image's layers applied, in order, into committed snapshots keyed
// by chain ID, in one namespace and one snapshotter — what both an import and
// a pull end with, and what `ctr run` asks for before preparing a container's
// root. A layer whose snapshot is committed already is skipped, so images
// sharing base layers share their snapshots and a second unpack is cheap.
//
// For each layer i: hold its chain ID in the lease; if the snapshot
// <chainID> exists, skip it; otherwise take the in-process lock of
// (namespace, snapshotter, chainID) — a concurrent unpack of the same layer
// waits here, then finds it committed — and extract it (layer_extraction.hpp).
// At the end the image's config content record is labelled
// tenon.io/gc.ref.snapshot.<snapshotter> = <top chain ID> (containerd labels
// containerd.io/gc.ref.snapshot.<snapshotter> the same way), so that GC keeps
// every snapshot the image reaches: config → top → its parents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>

#include "content/content_store.hpp"
#include "metadata/images.hpp"
#include "metadata/metadata_store.hpp"
#include "snapshots/namespaced_snapshotter.hpp"
#include "unpack/keyed_locks.hpp"
#include "unpack/layer_feed.hpp"
#include "unpack/layer_stream.hpp"

namespace tenon::unpack {

struct UnpackLimits {
  std::uint64_t maxLayerBytes = kDefaultMaxLayerBytes;  // per layer, uncompressed
};

struct UnpackRequest {
  std::string ns;
  std::string image;  // the image's name, for messages and progress ("" for the target's digest)
  metadata::Descriptor target;  // an index or a manifest
  std::string snapshotter = "overlayfs";
  std::string platform;  // "" for the host's (loosely matched), else "os/arch[/variant]" (strictly)
  std::string lease;     // the caller's lease to hold the snapshots; "" for one of the unpack's own
  LayerFeed* feed = nullptr;  // layers still downloading (a pull's); null: every layer is in the content store
};

// One step, for progress: a layer being read (bytes of total compressed
// bytes), a layer done (applied, or reused when its snapshot was there), or
// the image done (layer "").
struct UnpackEvent {
  std::string layer;    // the layer's digest; "" for the image's final event
  std::string chainId;  // the layer's chain ID, or the image's top one
  std::int64_t bytes = 0;
  std::int64_t total = 0;
  bool done = false;
  bool reused = false;
};
using UnpackProgress = std::function<void(const UnpackEvent&)>;

struct UnpackResult {
  std::string manifest;  // the digest of the manifest unpacked
  std::string config;    // the bytes of its image config
  std::string chainId;   // the top layer's; "" for an image without layers
  std::size_t applied = 0;
  std::size_t reused = 0;
};

class ImageUnpacker {
 public:
  ImageUnpacker(const content::ContentStore& content, metadata::MetadataStore& metadata,
                const std::map<std::string, snapshots::NamespacedSnapshotter>& snapshotters, UnpackLimits limits = {});

  // Unpacks `request`'s image. Throws not_found for an unknown snapshotter, an
  // absent blob or an index without a manifest for the platform;
  // invalid_argument naming the layer (and entry) for a layer refused;
  // cancelled once `stop` is triggered. On failure the layer in progress is
  // discarded; layers committed before it stay, held only by the lease.
  UnpackResult unpack(const UnpackRequest& request, const UnpackProgress& progress, std::stop_token stop = {});
  // As unpack(), but nullopt for an index without a manifest for the platform.
  std::optional<UnpackResult> unpackIfPresent(const UnpackRequest& request, const UnpackProgress& progress,
                                              std::stop_token stop = {});

  // Whether any snapshotter is loaded at all.
  bool hasSnapshotters() const { return !snapshotters_.empty(); }

 private:
  struct Image;
  const snapshots::NamespacedSnapshotter& snapshotter(const std::string& name) const;
  // Whether layer `i` was applied (false: its snapshot was there).
  bool unpackLayer(Image& image, std::size_t i, std::stop_token stop);

  const content::ContentStore& content_;
  metadata::MetadataStore& metadata_;
  const std::map<std::string, snapshots::NamespacedSnapshotter>& snapshotters_;
  UnpackLimits limits_;
  KeyedLocks layerLocks_;
};

}  // namespace tenon::unpack
