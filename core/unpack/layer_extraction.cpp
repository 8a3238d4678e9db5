#include "unpack/layer_extraction.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <random>
#include <tenon/error.hpp>
#include <tenon/unique_fd.hpp>

#include "unpack/layer_applier.hpp"
#include "unpack/layer_stream.hpp"
#include "unpack/layer_target.hpp"

namespace tenon::unpack {

namespace {

// The layer blob's bytes in order, counted for progress and checked against
// the descriptor's size.
class LayerBytes {
 public:
  LayerBytes(ByteSource source, const LayerExtraction& job, const BytesRead& onBytes, std::stop_token stop)
      : source_(std::move(source)), job_(job), onBytes_(onBytes), stop_(std::move(stop)) {}

  std::size_t operator()(void* buffer, std::size_t max) {
    if (stop_.stop_requested()) fail(TENON_CANCELLED, "the unpack was cancelled");
    std::size_t n = source_(buffer, max);
    offset_ += static_cast<std::int64_t>(n);
    if ((n == 0 && offset_ != job_.layer.size) || offset_ > job_.layer.size)
      fail(TENON_INTERNAL, "the blob " + std::string(n == 0 ? "ended after " : "goes past ") +
                                       std::to_string(offset_) + " bytes; its descriptor says " +
                                       std::to_string(job_.layer.size));
    if (onBytes_) onBytes_(offset_);
    return n;
  }

 private:
  ByteSource source_;
  const LayerExtraction& job_;
  const BytesRead& onBytes_;
  std::stop_token stop_;
  std::int64_t offset_ = 0;
};

ByteSource storedBytes(const content::ContentStore& content, const LayerExtraction& job) {
  return [&content, &job, offset = std::int64_t{0}](void* buffer, std::size_t max) mutable {
    std::size_t n = content.readAt(job.ns, job.layer.digest, offset, {static_cast<std::uint8_t*>(buffer), max});
    offset += static_cast<std::int64_t>(n);
    return n;
  };
}

// The layer's files reach the disk before the snapshot is committed: a crash
// after the commit must not leave a committed snapshot with files missing.
void syncTarget(const LayerTarget& target) {
  UniqueFd fd(::open(target.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || ::syncfs(fd.get()) != 0)
    fail(TENON_INTERNAL, "cannot sync the snapshot's directory " + target.root + ": " + std::strerror(errno));
}

void apply(const LayerExtraction& job, const std::vector<Mount>& mounts, ByteSource blob,
           std::uint64_t maxLayerBytes, const BytesRead& onBytes, std::stop_token stop) {
  LayerTarget target = layerTarget(mounts, !job.parent.empty());
  LayerStream stream(LayerBytes(std::move(blob), job, onBytes, std::move(stop)), layerCompression(job.layer.mediaType),
                     maxLayerBytes);
  applyLayer(target, stream.source());
  stream.drain();  // the tar's trailing padding, and the end of the compressed stream
  std::string diffId = stream.diffId();
  if (diffId != job.diffId)
    fail(TENON_INVALID_ARGUMENT, "its uncompressed tar hashes to " + diffId + ", but the config's diff_id is " +
                                     job.diffId);
  syncTarget(target);
}

// Throws the download's error when it is a digest mismatch (failed_precondition, from the store's commit).
void preferDigestError(const LayerFeed::Source& fed) {
  try {
    fed.verified();
  } catch (const Error& e) {
    if (e.code() == TENON_FAILED_PRECONDITION) throw;
  } catch (const std::exception&) {
  }
}

}  // namespace

std::string extractKey(const std::string& chainId) {
  std::random_device random;
  return fmt::format("extract-{:08x}{:08x} {}", random(), random(), chainId);
}

void extractLayer(const LayerExtraction& job, const content::ContentStore& content, UnpackLease& lease,
                  std::uint64_t maxLayerBytes, const BytesRead& onBytes, std::stop_token stop) {
  layerCompression(job.layer.mediaType);  // an unknown media type fails before anything is made
  // Before the snapshot exists: this may wait for the download to get there.
  std::optional<LayerFeed::Source> fed;
  if (job.feed != nullptr) fed = job.feed->open(job.layer, stop);
  ByteSource blob = fed ? std::move(fed->bytes) : storedBytes(content, job);
  const std::string& snapshotter = job.snapshotter.name();
  std::string key = extractKey(job.chainId);
  lease.hold(snapshotter, key);  // before it exists: GC never sees it unheld
  bool prepared = false;
  try {
    std::vector<Mount> mounts = job.snapshotter.prepare(job.ns, key, job.parent);
    prepared = true;
    try {
      apply(job, mounts, std::move(blob), maxLayerBytes, onBytes, std::move(stop));
    } catch (const Error&) {
      // Corrupt bytes from a download fail here first (a gzip CRC, a tar
      // header); when the store then finds the blob's digest wrong, that is
      // the cause to report.
      if (fed) preferDigestError(*fed);
      throw;
    }
    // Bytes that came from a download count only once the store checked their digest.
    if (fed) fed->verified();
    job.snapshotter.commit(job.ns, job.chainId, key);
  } catch (...) {
    try {
      if (prepared) job.snapshotter.remove(job.ns, key);
      lease.drop(snapshotter, key);
    } catch (const std::exception&) {
      // Left to the lease's expiry and GC; the first error is the one to report.
    }
    throw;
  }
  lease.drop(snapshotter, key);
}

}  // namespace tenon::unpack
