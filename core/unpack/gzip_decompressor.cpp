#include "unpack/gzip_decompressor.hpp"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <tenon/error.hpp>

namespace tenon::unpack {

namespace {

const char* inflateError(int code) {
  switch (code) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid back-reference distance";
    case ISAL_INVALID_WRAPPER: return "not a gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "compression method other than deflate";
    case ISAL_INCORRECT_CHECKSUM: return "CRC-32 mismatch in the gzip trailer";
    case ISAL_NEED_DICT: return "needs a preset dictionary";
    default: return "inflate failed";
  }
}

// isa-l counts in 32 bits; a larger buffer is simply used in parts.
std::uint32_t clamp32(std::size_t size) {
  return static_cast<std::uint32_t>(std::min<std::size_t>(size, std::numeric_limits<std::uint32_t>::max()));
}

class GzipDecompressor final : public Decompressor {
 public:
  GzipDecompressor() : state_(std::make_unique<inflate_state>()) {
    startMember();
  }

  void decompress(std::span<const std::uint8_t>& in, std::span<std::uint8_t>& out) override {
    while (!out.empty()) {
      if (state_->block_state == ISAL_BLOCK_FINISH) {
        if (in.empty()) return;
        startMember();  // RFC 1952 §2.2: another member follows
      }
      state_->next_in = const_cast<std::uint8_t*>(in.data());
      state_->avail_in = clamp32(in.size());
      state_->next_out = out.data();
      state_->avail_out = clamp32(out.size());
      int status = isal_inflate(state_.get());
      // At a member's end isa-l hands back the input it read ahead, so
      // next_in is exactly where the next member starts.
      std::size_t consumed = static_cast<std::size_t>(state_->next_in - in.data());
      std::size_t produced = static_cast<std::size_t>(state_->next_out - out.data());
      in = in.subspan(consumed);
      out = out.subspan(produced);
      if (status != ISAL_DECOMP_OK)
        fail(TENON_INVALID_ARGUMENT, std::string("corrupt gzip data: ") + inflateError(status));
      started_ = started_ || consumed > 0;
      if (consumed == 0 && produced == 0) return;  // needs more input
    }
  }

  void finish() override {
    if (!started_) fail(TENON_INVALID_ARGUMENT, "empty, not gzip data");
    if (state_->block_state != ISAL_BLOCK_FINISH)
      fail(TENON_INVALID_ARGUMENT, "truncated gzip data (the stream ends inside a member)");
  }

 private:
  void startMember() {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_GZIP;  // parse the header, check the trailer's CRC-32 and size
  }

  std::unique_ptr<inflate_state> state_;  // ~85 KiB of tables and window: on the heap
  bool started_ = false;
};

}  // namespace

std::unique_ptr<Decompressor> makeGzipDecompressor() {
  return std::make_unique<GzipDecompressor>();
}

}  // namespace tenon::unpack
