// A layer's uncompressed tar as a pull stream: compressed bytes from a
// ByteSource, decompressed (per the layer's media type), counted against a
// per-layer quota, and hashed, so that once the stream has ended its digest
// is the layer's diff_id (OCI image spec config.md: "the digest over the
// layer's uncompressed tar archive").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "transfer/sha256.hpp"
#include "unpack/byte_source.hpp"
#include "unpack/decompressor.hpp"

namespace tenon::unpack {

// The default per-layer quota of uncompressed bytes: 64 GiB. The largest
// layers in real use (CUDA and model images) expand to a few tens of GiB;
// past this a layer is treated as a decompression bomb (gzip reaches about
// 1000:1, so 64 MiB of gzip could otherwise fill a disk). Configurable through
// UnpackLimits.
inline constexpr std::uint64_t kDefaultMaxLayerBytes = std::uint64_t{64} << 30;

class LayerStream {
 public:
  // Errors say what is wrong, not which layer: the caller adds that.
  LayerStream(ByteSource compressed, Compression compression, std::uint64_t maxBytes);

  // Up to `max` uncompressed bytes; 0 at the end. Throws resource_exhausted
  // past the quota, invalid_argument for corrupt or truncated data, and what
  // the compressed source throws.
  std::size_t read(void* buffer, std::size_t max);
  // Reads (and hashes) what is left: the zero blocks a tar writer pads with
  // after the end-of-archive marker belong to the diff_id too.
  void drain();
  // "sha256:<hex>" of everything read; only once read() returned 0.
  std::string diffId();
  std::uint64_t uncompressedBytes() const { return produced_; }

  // This as a ByteSource; the stream must outlive it.
  ByteSource source() {
    return [this](void* buffer, std::size_t max) { return read(buffer, max); };
  }

 private:
  bool refill();  // false at the compressed input's end

  ByteSource compressed_;
  std::unique_ptr<Decompressor> decompressor_;
  std::uint64_t maxBytes_;
  std::vector<std::uint8_t> input_;
  std::span<const std::uint8_t> pending_;  // input not yet decompressed
  bool inputEnded_ = false;
  bool ended_ = false;
  std::uint64_t produced_ = 0;
  transfer::Sha256 hash_;
};

}  // namespace tenon::unpack
