// One pull, from the reference to the image record, on a thread of its own
// (it blocks on the network and the disk):
//   1. resolve the reference on the registry ("resolve" event);
//   2. fetch the index or manifest, pick the platforms' manifests from
//      indexes (nested ones walked), store each document;
//   3. download configs, then layers in manifest order, on a bounded pool
//      (blob_download.hpp), while
//   4. the unpack of one platform (the host's, or the first asked for) starts
//      once the configs are stored and reads each layer as it arrives
//      (layer_taps.hpp);
//   5. record the image (pull_record.hpp); "image" event.
// Everything is held by the pull's own lease "pull-..." (or the caller's)
// until the record exists; a failure anywhere cancels the rest, the unpack
// removes the snapshot it was writing, and the lease goes: what was fully
// downloaded stays in the store until GC, partial ingests stay for the next
// pull to resume.
#pragma once

#include <stop_token>
#include <string>
#include <vector>

#include "content/content_store.hpp"
#include "metadata/metadata_store.hpp"
#include "pull/pull_record.hpp"
#include "registry/credentials.hpp"
#include "transfer/progress_channel.hpp"
#include "transfer/registry_access.hpp"
#include "unpack/image_unpacker.hpp"
#include "unpack/keyed_locks.hpp"

namespace tenon::pull {

class LayerTaps;

// What every pull of the daemon shares.
struct PullStores {
  content::ContentStore& content;
  metadata::MetadataStore& metadata;
  unpack::ImageUnpacker& unpacker;
  unpack::KeyedLocks& downloads;  // by digest: a blob is downloaded by one pull at a time
  const transfer::RegistryAccess& access;
};

struct PullRequest {
  std::string ns;
  std::string reference;  // as the client wrote it
  transfer::RegistryRequest registry;
  std::vector<std::string> platforms;  // strict; none: the host's, loosely
  bool allPlatforms = false;
  bool unpack = true;
  std::string snapshotter = "overlayfs";
  bool allowForeignUrls = false;
  unsigned maxConcurrentDownloads = 0;  // 0: the daemon's
  std::string lease;                    // the caller's; "" for one of the pull's own
};

class Puller {
 public:
  Puller(PullStores stores, PullRequest request, transfer::ProgressChannel& progress,
         registry::CredentialLookup credentials, std::stop_token stop)
      : stores_(stores), request_(std::move(request)), progress_(progress),
        credentials_(std::move(credentials)), stop_(std::move(stop)) {}

  // Throws what went wrong: invalid_argument for a malformed reference as
  // parseReference words it, not_found for a missing image or platform, the
  // registry's errors, an unpack's refusal naming the layer.
  PulledImage run();

 private:
  struct Graph;
  // Stores document `d` and, for an index, the chosen children; collects the blobs to download.
  void walk(Graph& graph, const metadata::Descriptor& d, int depth);
  // Downloads the configs and layers while the unpack runs; throws the pull's first failure.
  void download(Graph& graph);
  void unpack(const Graph& graph, LayerTaps& taps, std::stop_token stop);
  void notice(const std::string& message);

  PullStores stores_;
  PullRequest request_;
  transfer::ProgressChannel& progress_;
  registry::CredentialLookup credentials_;
  std::stop_token stop_;
};

}  // namespace tenon::pull
