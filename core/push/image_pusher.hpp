// Sends a PushPlan to a registry: first the blobs, in parallel, each one
// skipped when the registry has it, mounted from another repository of that
// registry when a pull recorded one, else uploaded from the content store;
// then the manifests and indexes below the root, children first, by digest;
// then the root, by the reference's tag (or its digest when it has no tag).
// Progress: a "blob" event per blob and document (ref its role; message
// "exists" or "mounted", or the registry client's notices such as
// "retrying: ..." while one is under way), "image" at the end.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "content/content_store.hpp"
#include "push/push_plan.hpp"
#include "registry/registry_client.hpp"
#include "transfer/progress_channel.hpp"

namespace tenon::push {

class ImagePusher {
 public:
  ImagePusher(const content::ContentStore& content, std::string ns, transfer::ProgressChannel& progress);
  ImagePusher(const ImagePusher&) = delete;
  ImagePusher& operator=(const ImagePusher&) = delete;

  // What the registry client tells while a call goes on, for its Notice: an
  // event about the blob the calling thread is pushing (a warning otherwise).
  registry::Notice notice();

  // Pushes `plan` to `registry`'s repository with up to `maxUploads` blobs at
  // once; returns the root's digest. Throws invalid_argument when the
  // reference names a digest other than the root's.
  std::string push(registry::RegistryClient& registry, const PushPlan& plan, unsigned maxUploads,
                   std::stop_token stop);

 private:
  // A blob in progress on some thread: what notices are attached to.
  struct Current {
    const images::ImageBlob* blob;
    const std::atomic<std::int64_t>* sent;
  };
  class OnThread;

  void pushBlob(registry::RegistryClient& registry, const images::ImageBlob& blob, std::stop_token stop);
  void upload(registry::RegistryClient& registry, const images::ImageBlob& blob, std::atomic<std::int64_t>& sent,
              std::stop_token stop);
  void putDocument(registry::RegistryClient& registry, const std::string& tagOrDigest, const images::ImageBlob& blob,
                   const std::string& bytes, std::stop_token stop);
  void blobEvent(const images::ImageBlob& blob, std::int64_t bytes, bool done, std::string message = "");

  const content::ContentStore& content_;
  std::string ns_;
  transfer::ProgressChannel& progress_;
  std::mutex mutex_;
  std::map<std::thread::id, Current> current_;
};

}  // namespace tenon::push
