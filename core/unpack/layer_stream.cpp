#include "unpack/layer_stream.hpp"

#include <string>
#include <tenon/error.hpp>

namespace tenon::unpack {

namespace {

// Big enough that a read of the content store or a decompressor call costs
// little per byte; small enough for many unpacks at once.
constexpr std::size_t kInputBuffer = std::size_t{1} << 20;

}  // namespace

LayerStream::LayerStream(ByteSource compressed, Compression compression, std::uint64_t maxBytes)
    : compressed_(std::move(compressed)),
      decompressor_(makeDecompressor(compression)),
      maxBytes_(maxBytes),
      input_(kInputBuffer) {}

bool LayerStream::refill() {
  if (inputEnded_) return false;
  std::size_t n = compressed_(input_.data(), input_.size());
  if (n == 0) {
    inputEnded_ = true;
    return false;
  }
  pending_ = std::span<const std::uint8_t>(input_.data(), n);
  return true;
}

std::size_t LayerStream::read(void* buffer, std::size_t max) {
  if (ended_ || max == 0) return 0;
  std::span<std::uint8_t> out(static_cast<std::uint8_t*>(buffer), max);
  for (;;) {
    std::size_t before = pending_.size();
    decompressor_->decompress(pending_, out);
    std::size_t written = max - out.size();
    if (written > 0) {
      produced_ += written;
      if (produced_ > maxBytes_)
        fail(TENON_RESOURCE_EXHAUSTED, "it expands past the per-layer limit of " + std::to_string(maxBytes_) +
                                           " uncompressed bytes (a decompression bomb?)");
      hash_.update(buffer, written);
      return written;
    }
    // Nothing written: the decompressor needs input, or everything is out.
    if (!pending_.empty() && pending_.size() == before)
      fail(TENON_INTERNAL, "the decompressor took no input and gave no output");
    if (pending_.empty() && !refill()) {
      decompressor_->finish();
      ended_ = true;
      return 0;
    }
  }
}

void LayerStream::drain() {
  std::vector<std::uint8_t> sink(64 << 10);
  while (read(sink.data(), sink.size()) > 0) {
  }
}

std::string LayerStream::diffId() {
  if (!ended_) fail(TENON_INTERNAL, "diff_id asked for before the layer's end");
  return hash_.digest();
}

}  // namespace tenon::unpack
