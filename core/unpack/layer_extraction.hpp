// One layer into one committed snapshot: prepare an active snapshot on the
// chain below, apply the layer's tar into it as the blob streams out of the
// content store or, during a pull, out of its download (decompressed and
// hashed on the way), check its diff_id, make it durable, wait for the
// download's digest check, and commit it under its chain ID. On any failure
// the active snapshot is removed: nothing half-applied is left, nothing
// unverified is committed.
#pragma once

#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>

#include "content/content_store.hpp"
#include "metadata/images.hpp"
#include "snapshots/namespaced_snapshotter.hpp"
#include "unpack/layer_feed.hpp"
#include "unpack/unpack_lease.hpp"

namespace tenon::unpack {

struct LayerExtraction {
  std::string ns;
  const snapshots::NamespacedSnapshotter& snapshotter;
  metadata::Descriptor layer;
  std::string diffId;   // what the config says the uncompressed tar hashes to
  std::string chainId;  // the committed snapshot's key
  std::string parent;   // the chain ID below, "" for the first layer
  LayerFeed* feed = nullptr;  // where a layer still downloading is read from; null: the content store
};

// Called with the count of compressed bytes read so far.
using BytesRead = std::function<void(std::int64_t)>;

// Extracts `job`, its keys held by `lease`. Throws what went wrong, not
// naming the layer (the caller does); cancelled once `stop` is triggered.
void extractLayer(const LayerExtraction& job, const content::ContentStore& content, UnpackLease& lease,
                  std::uint64_t maxLayerBytes, const BytesRead& onBytes, std::stop_token stop);

// The key of the active snapshot a layer is applied in:
// "extract-<16 random hex digits> <chain ID>", as containerd names them.
std::string extractKey(const std::string& chainId);

}  // namespace tenon::unpack
