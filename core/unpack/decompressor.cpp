#include "unpack/decompressor.hpp"

#include <algorithm>
#include <cstring>

#include "unpack/gzip_decompressor.hpp"
#include "unpack/zstd_decompressor.hpp"

namespace tenon::unpack {

namespace {

// An uncompressed layer: the bytes as they come.
class Passthrough final : public Decompressor {
 public:
  void decompress(std::span<const std::uint8_t>& in, std::span<std::uint8_t>& out) override {
    std::size_t n = std::min(in.size(), out.size());
    if (n > 0) std::memcpy(out.data(), in.data(), n);
    in = in.subspan(n);
    out = out.subspan(n);
  }
  void finish() override {}
};

}  // namespace

std::unique_ptr<Decompressor> makeDecompressor(Compression compression) {
  switch (compression) {
    case Compression::gzip: return makeGzipDecompressor();
    case Compression::zstd: return makeZstdDecompressor();
    case Compression::none: break;
  }
  return std::make_unique<Passthrough>();
}

}  // namespace tenon::unpack
