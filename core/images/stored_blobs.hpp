// The blobs one namespace holds in the content store, as an image walk reads them.
#pragma once

#include <string>

#include "content/content_store.hpp"
#include "images/image_walk.hpp"

namespace tenon::images {

class StoredBlobs final : public BlobSource {
 public:
  StoredBlobs(const content::ContentStore& store, std::string ns) : store_(store), ns_(std::move(ns)) {}

  std::optional<std::int64_t> size(const std::string& digest) override;
  std::string read(const std::string& digest, std::int64_t size) override;

 private:
  const content::ContentStore& store_;
  std::string ns_;
};

}  // namespace tenon::images
