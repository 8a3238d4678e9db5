// Streaming decompression of a layer, one buffer at a time: push-shaped (the
// caller hands in whatever compressed bytes it has, as a download delivers
// them, and room for output), so that it serves both a pull driver
// (LayerStream, reading a blob) and a push driver (bytes as they arrive from
// a registry). Nothing is held whole: memory stays at the window size.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "unpack/layer_compression.hpp"

namespace tenon::unpack {

class Decompressor {
 public:
  virtual ~Decompressor() = default;

  // Decompresses from the front of `in` into the front of `out` as far as
  // both allow, and moves each span past what was consumed and written.
  // Throws invalid_argument for corrupt data (the caller names the layer).
  virtual void decompress(std::span<const std::uint8_t>& in, std::span<std::uint8_t>& out) = 0;
  // The compressed input has ended and decompress() wrote nothing more with
  // an empty `in`: throws invalid_argument when the stream stopped mid-way.
  virtual void finish() = 0;
};

// A decompressor for `compression` ("none" copies).
std::unique_ptr<Decompressor> makeDecompressor(Compression compression);

// The largest zstd window a layer may ask for: 2^27 = 128 MiB, zstd's own
// default limit for decoding (ZSTD_WINDOWLOG_LIMIT_DEFAULT), set explicitly so
// that a frame declaring a 2 GiB window is refused before anything is
// allocated rather than trusted.
inline constexpr int kZstdMaxWindowLog = 27;

}  // namespace tenon::unpack
