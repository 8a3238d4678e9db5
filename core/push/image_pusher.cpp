#include "push/image_pusher.hpp"

#include <chrono>
#include <tenon/error.hpp>

#include "images/media_types.hpp"
#include "images/stored_blobs.hpp"
#include "push/mount_sources.hpp"
#include "push/parallel_tasks.hpp"

namespace tenon::push {

constexpr auto kProgressEvery = std::chrono::milliseconds(100);

// Marks the calling thread as pushing `blob` for as long as it lives.
class ImagePusher::OnThread {
 public:
  OnThread(ImagePusher& pusher, const images::ImageBlob& blob, const std::atomic<std::int64_t>& sent)
      : pusher_(pusher) {
    std::lock_guard lock(pusher_.mutex_);
    pusher_.current_[std::this_thread::get_id()] = {&blob, &sent};
  }
  ~OnThread() {
    std::lock_guard lock(pusher_.mutex_);
    pusher_.current_.erase(std::this_thread::get_id());
  }
  OnThread(const OnThread&) = delete;
  OnThread& operator=(const OnThread&) = delete;

 private:
  ImagePusher& pusher_;
};

ImagePusher::ImagePusher(const content::ContentStore& content, std::string ns, transfer::ProgressChannel& progress)
    : content_(content), ns_(std::move(ns)), progress_(progress) {}

registry::Notice ImagePusher::notice() {
  return [this](const std::string& message) {
    std::unique_lock lock(mutex_);
    auto it = current_.find(std::this_thread::get_id());
    if (it == current_.end()) {
      lock.unlock();
      progress_.warn(message);
      return;
    }
    Current current = it->second;
    lock.unlock();
    blobEvent(*current.blob, current.sent->load(), false, message);
  };
}

void ImagePusher::blobEvent(const images::ImageBlob& blob, std::int64_t bytes, bool done, std::string message) {
  const metadata::Descriptor& d = blob.descriptor;
  progress_.send({"blob", blob.role, d.digest, bytes, d.size, done, std::move(message)});
}

std::string ImagePusher::push(registry::RegistryClient& registry, const PushPlan& plan, unsigned maxUploads,
                              std::stop_token stop) {
  const registry::Reference& reference = registry.reference();
  if (!reference.digest.empty() && reference.digest != plan.root.digest)
    fail(TENON_INVALID_ARGUMENT,
         "cannot push " + plan.root.digest + " as " + reference.text() + ": the reference names another digest");
  runInParallel(plan.blobs.size(), maxUploads, stop,
                [&](std::size_t i, std::stop_token taskStop) { pushBlob(registry, plan.blobs[i], taskStop); });
  images::StoredBlobs stored(content_, ns_);
  for (const images::ImageBlob& document : plan.documents)
    putDocument(registry, document.descriptor.digest, document,
                stored.read(document.descriptor.digest, document.descriptor.size), stop);
  images::ImageBlob root{plan.root, images::media_types::isIndex(plan.root.mediaType) ? "index" : "manifest", true};
  std::string rootBytes =
      plan.madeRootBytes.empty() ? stored.read(plan.root.digest, plan.root.size) : plan.madeRootBytes;
  putDocument(registry, reference.tag.empty() ? plan.root.digest : reference.tag, root, rootBytes, stop);
  progress_.send({"image", reference.text(), plan.root.digest, plan.root.size, plan.root.size, true, ""});
  return plan.root.digest;
}

void ImagePusher::pushBlob(registry::RegistryClient& registry, const images::ImageBlob& blob, std::stop_token stop) {
  std::atomic<std::int64_t> sent{0};
  OnThread onThread(*this, blob, sent);
  const metadata::Descriptor& d = blob.descriptor;
  if (registry.hasBlob(d, stop)) {
    blobEvent(blob, d.size, true, "exists");
    return;
  }
  for (const std::string& from : mountSources(content_.info(ns_, d.digest).labels, registry.reference())) {
    if (registry.mountBlob(d, from, stop)) {
      blobEvent(blob, d.size, true, "mounted");
      return;
    }
  }
  upload(registry, blob, sent, stop);
}

void ImagePusher::upload(registry::RegistryClient& registry, const images::ImageBlob& blob,
                         std::atomic<std::int64_t>& sent, std::stop_token stop) {
  const metadata::Descriptor& d = blob.descriptor;
  blobEvent(blob, 0, false);
  auto reported = std::chrono::steady_clock::now();
  // A retried upload reads from its start again: progress shows the furthest point reached.
  registry.uploadBlob(
      d,
      [&](std::int64_t offset, std::span<std::uint8_t> buffer) {
        std::size_t n = content_.readAt(ns_, d.digest, offset, buffer);
        std::int64_t reached = offset + static_cast<std::int64_t>(n);
        if (reached > sent.load()) sent.store(reached);
        // Parallel uploads interleave their events, which the channel cannot merge: a few a second each.
        if (auto now = std::chrono::steady_clock::now(); now - reported >= kProgressEvery) {
          reported = now;
          blobEvent(blob, sent.load(), false);
        }
        return n;
      },
      stop);
  blobEvent(blob, d.size, true);
}

void ImagePusher::putDocument(registry::RegistryClient& registry, const std::string& tagOrDigest,
                              const images::ImageBlob& blob, const std::string& bytes, std::stop_token stop) {
  std::atomic<std::int64_t> sent{0};
  OnThread onThread(*this, blob, sent);
  registry.putManifest(tagOrDigest, blob.descriptor, bytes, stop);
  blobEvent(blob, blob.descriptor.size, true);
}

}  // namespace tenon::push
