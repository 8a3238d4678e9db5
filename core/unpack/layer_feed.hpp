// Where an unpack reads a layer's compressed bytes while it may still be
// downloading: a pull hands its unpack a feed, so that the first layers are
// applied as they arrive instead of after the whole download.
#pragma once

#include <functional>
#include <optional>
#include <stop_token>

#include "metadata/images.hpp"
#include "unpack/byte_source.hpp"

namespace tenon::unpack {

class LayerFeed {
 public:
  virtual ~LayerFeed() = default;

  // A stream of the layer's bytes from its first, and `verified`, which the
  // unpack calls after the layer was applied and its diff_id checked, before
  // committing the snapshot: it blocks until the download committed the blob
  // (digest verified) and throws the download's error otherwise. The stream
  // is dropped once the unpack stops reading (a failure on the unpack's side
  // then reaches the download). nullopt: read it from the content store (it
  // is there, or this blocks until it is). Throws the download's error, or
  // cancelled once `stop` is triggered.
  struct Source {
    ByteSource bytes;
    std::function<void()> verified;
  };
  virtual std::optional<Source> open(const metadata::Descriptor& layer, std::stop_token stop) = 0;
};

}  // namespace tenon::unpack
