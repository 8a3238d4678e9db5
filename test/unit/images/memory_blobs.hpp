// Image blobs held in memory, for tests that walk or plan over an image graph
// without a content store.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "images/image_walk.hpp"
#include "transfer/sha256.hpp"

namespace tenon::images::testing {

class MemoryBlobs final : public BlobSource {
 public:
  // The descriptor of `bytes`; stored unless `present` is false (a blob the store lacks).
  metadata::Descriptor add(std::string_view mediaType, const std::string& bytes, bool present = true) {
    metadata::Descriptor d{std::string(mediaType), transfer::sha256Of(bytes), static_cast<std::int64_t>(bytes.size()),
                           {}};
    if (present) blobs_[d.digest] = bytes;
    return d;
  }
  void drop(const std::string& digest) { blobs_.erase(digest); }
  std::optional<std::int64_t> size(const std::string& digest) override {
    auto it = blobs_.find(digest);
    return it == blobs_.end() ? std::nullopt : std::optional<std::int64_t>(static_cast<std::int64_t>(it->second.size()));
  }
  std::string read(const std::string& digest, std::int64_t) override { return blobs_.at(digest); }

 private:
  std::map<std::string, std::string> blobs_;
};

// A descriptor as a document lists it.
inline nlohmann::json descriptorJson(const metadata::Descriptor& d) {
  return {{"mediaType", d.mediaType}, {"digest", d.digest}, {"size", d.size}};
}

}  // namespace tenon::images::testing
