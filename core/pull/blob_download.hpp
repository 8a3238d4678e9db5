// One blob of a pull into the content store: fetched once per daemon (a
// lock per digest, shared by every pull: the second pull of a layer waits,
// then finds it stored and only records it in its namespace), resumed from
// what an interrupted pull left in its ingest, verified by the store (size
// and digest) before it becomes visible, and held by the pull's lease.
//
// The ingest is "<role>-<digest>" ("layer-sha256:...", as containerd names
// them) in the pull's namespace. A download that fails (the registry gone)
// leaves it for the next pull to resume; bytes that do not match the digest
// are refused and the ingest aborted, so that the next pull starts clean.
#pragma once

#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>

#include "content/content_store.hpp"
#include "metadata/images.hpp"
#include "pull/layer_taps.hpp"
#include "registry/registry_client.hpp"
#include "transfer/progress_channel.hpp"
#include "unpack/keyed_locks.hpp"

namespace tenon::pull {

// Streams a blob's bytes from `offset` into the sink (RegistryClient::fetchBlob's shape).
using BlobFetch = std::function<void(const metadata::Descriptor& blob, std::int64_t offset,
                                     const registry::BlobSink& sink, std::stop_token stop)>;

// What every download of one pull shares.
struct BlobDownloads {
  content::ContentStore& content;
  std::string ns;
  std::string lease;
  unpack::KeyedLocks& locks;  // the daemon's, by digest
  std::function<void(const transfer::ProgressEvent&)> report;  // "blob" events, ~10 a second per blob
  LayerTaps* taps = nullptr;  // told about each blob it expects
};

struct BlobJob {
  metadata::Descriptor blob;
  std::string role;  // "index", "manifest", "config", "layer": the progress ref and the ingest's prefix
};

// Downloads `job` unless the store has it. Throws invalid_argument naming
// the blob for bytes that do not match it, what `fetch` throws, or
// cancelled once `stop` is triggered.
void downloadBlob(const BlobDownloads& pull, const BlobJob& job, const BlobFetch& fetch, std::stop_token stop);

// Sends `message` ("retrying: ...") as a progress event of the blob this
// thread is downloading, if any: a registry client's notices come from the
// thread making the call. False when no download runs on this thread.
bool noteOnThisThread(const std::string& message);

}  // namespace tenon::pull
