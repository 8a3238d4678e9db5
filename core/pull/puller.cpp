#include "pull/puller.hpp"

#include <memory>
#include <optional>
#include <tenon/error.hpp>

#include "images/image_documents.hpp"
#include "images/media_types.hpp"
#include "images/stored_blobs.hpp"
#include "metadata/validation.hpp"
#include "pull/blob_download.hpp"
#include "pull/download_pool.hpp"
#include "pull/foreign_layers.hpp"
#include "pull/layer_taps.hpp"
#include "pull/platform_selection.hpp"
#include "pull/pull_failure.hpp"
#include "transfer/temporary_lease.hpp"
#include "transfer/unpack_events.hpp"

namespace tenon::pull {

namespace media_types = images::media_types;

namespace {

// As unpack's: a long chain of indexes is no image.
constexpr int kMaxIndexDepth = 8;

}  // namespace

struct Puller::Graph {
  registry::Reference reference;
  registry::RegistryClient& client;
  PlatformSelection selection;
  std::string lease;
  metadata::Descriptor target;
  std::vector<BlobJob> configs;  // then layers: the download order
  std::vector<BlobJob> layers;
  std::set<std::string> digests;  // every blob of the pull, documents included
  std::map<std::string, std::vector<std::string>> urls;  // foreign layers'

  std::string name() const { return reference.text(); }
};

void Puller::notice(const std::string& message) {
  if (!noteOnThisThread(message)) progress_.warn(message);
}

PulledImage Puller::run() {
  registry::Reference reference = registry::parseReference(request_.reference);
  PlatformSelection selection(request_.platforms, request_.allPlatforms);
  std::optional<transfer::TemporaryLease> own;
  std::string lease = request_.lease;
  if (lease.empty())
    lease = own.emplace(stores_.metadata, request_.ns, "pull", metadata::Labels{{"tenon.io/pull", "true"}}).id();

  std::unique_ptr<registry::RegistryClient> client = transfer::openRegistry(
      stores_.access, reference, request_.registry, credentials_, [this](const std::string& m) { notice(m); });
  metadata::Descriptor target = client->resolve(stop_);
  progress_.send({"resolve", reference.text(), target.digest, target.size, target.size, true, ""});

  Graph graph{reference, *client, std::move(selection), lease, target, {}, {}, {}, {}};
  walk(graph, target, 0);
  if (media_types::isIndex(target.mediaType)) graph.selection.checkFound(graph.name());
  download(graph);

  PulledImage pulled = recordPull(stores_.metadata, stores_.content,
                                  {request_.ns, reference, target, request_.allPlatforms, graph.digests,
                                   own ? lease : ""});
  if (own) own->released();
  progress_.send({"image", pulled.image.name, target.digest, target.size, target.size, true, ""});
  return pulled;
}

void Puller::walk(Graph& graph, const metadata::Descriptor& d, int depth) {
  if (!graph.digests.insert(d.digest).second) return;  // named twice: walked once
  bool index = media_types::isIndex(d.mediaType);
  if (!index && !media_types::isManifest(d.mediaType))
    fail(TENON_INVALID_ARGUMENT, graph.name() + ": " + d.digest + " is of media type " + metadata::quote(d.mediaType) +
                                     ", not an image index or manifest");
  if (depth >= kMaxIndexDepth) fail(TENON_INVALID_ARGUMENT, graph.name() + ": indexes nest too deeply");
  std::string what = (index ? "index " : "manifest ") + d.digest;
  images::checkJsonSize(static_cast<std::size_t>(std::max<std::int64_t>(d.size, 0)), what);

  BlobDownloads documents{stores_.content, request_.ns, graph.lease, stores_.downloads,
                          [this](const transfer::ProgressEvent& e) { progress_.send(e); }, nullptr};
  BlobFetch fetchDocument = [&graph](const metadata::Descriptor& blob, std::int64_t offset,
                                     const registry::BlobSink& sink, std::stop_token stop) {
    std::string bytes = graph.client.fetchManifest(blob, stop);
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    sink({data + offset, bytes.size() - static_cast<std::size_t>(offset)});
  };
  downloadBlob(documents, {d, index ? "index" : "manifest"}, fetchDocument, stop_);
  std::string bytes = images::StoredBlobs(stores_.content, request_.ns).read(d.digest, d.size);

  if (index) {
    for (const images::ManifestEntry& entry : graph.selection.choose(images::parseIndex(bytes, d.mediaType, what)))
      walk(graph, entry.descriptor, depth + 1);
    return;
  }
  images::ManifestDocument manifest = images::parseManifest(bytes, d.mediaType, what);
  if (graph.digests.insert(manifest.config.digest).second) graph.configs.push_back({manifest.config, "config"});
  for (const metadata::Descriptor& layer : manifest.layers)
    if (graph.digests.insert(layer.digest).second) graph.layers.push_back({layer, "layer"});
  graph.urls.merge(manifest.layerUrls);
}

void Puller::download(Graph& graph) {
  LayerTaps taps;
  BlobDownloads blobs{stores_.content, request_.ns, graph.lease, stores_.downloads,
                      [this](const transfer::ProgressEvent& e) { progress_.send(e); }, &taps};
  BlobFetch fromRegistry = [&graph](const metadata::Descriptor& blob, std::int64_t offset,
                                    const registry::BlobSink& sink, std::stop_token stop) {
    graph.client.fetchBlob(blob, offset, sink, stop);
  };
  std::vector<DownloadPool::Job> jobs;
  for (const std::vector<BlobJob>* list : {&graph.configs, &graph.layers}) {
    for (const BlobJob& job : *list) {
      taps.expect(job.blob.digest);
      BlobFetch fetch = fromRegistry;
      auto urls = graph.urls.find(job.blob.digest);
      if (request_.allowForeignUrls && urls != graph.urls.end())
        fetch = foreignFetch(graph.client, urls->second, [this](const std::string& m) { notice(m); });
      jobs.push_back([&blobs, &job, fetch](std::stop_token stop) { downloadBlob(blobs, job, fetch, stop); });
    }
  }

  // One failure (a download, the unpack, the client leaving) stops every part of the pull.
  std::stop_source stop;
  std::stop_callback cancel(stop_, [&stop] { stop.request_stop(); });
  PullFailure failure(stop);
  unsigned workers = request_.maxConcurrentDownloads > 0 ? request_.maxConcurrentDownloads
                                                         : stores_.access.maxConcurrentDownloads;
  {
    DownloadPool pool(workers, std::move(jobs), stop.get_token(), failure);
    if (request_.unpack) {
      try {
        unpack(graph, taps, stop.get_token());
      } catch (...) {
        failure.record(std::current_exception());
      }
    }
    pool.wait();
  }
  failure.rethrow();
  if (stop_.stop_requested()) fail(TENON_CANCELLED, "the pull was cancelled");
}

void Puller::unpack(const Graph& graph, LayerTaps& taps, std::stop_token stop) {
  if (!stores_.unpacker.hasSnapshotters()) {
    progress_.warn("no snapshotter is loaded: " + graph.name() + " was pulled but not unpacked");
    return;
  }
  // The unpack reads its manifest's config from the store; configs come first and are small.
  for (const BlobJob& config : graph.configs) taps.waitStored(config.blob.digest, stop);
  std::string platform = request_.platforms.empty() ? "" : request_.platforms.front();
  unpack::UnpackRequest request{request_.ns, graph.name(), graph.target, request_.snapshotter, platform,
                                graph.lease, &taps};
  if (!stores_.unpacker.unpackIfPresent(request, transfer::unpackEvents(progress_, graph.name()), stop))
    progress_.warn(graph.name() + ": no manifest for " + unpack::choosePlatform(platform).text() +
                   ", so it was not unpacked");
}

}  // namespace tenon::pull
