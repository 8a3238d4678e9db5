#include "unpack/zstd_decompressor.hpp"

#include <zstd.h>
#include <zstd_errors.h>

#include <string>
#include <tenon/error.hpp>

namespace tenon::unpack {

namespace {

class ZstdDecompressor final : public Decompressor {
 public:
  ZstdDecompressor() : context_(ZSTD_createDCtx()) {
    if (!context_) fail(TENON_RESOURCE_EXHAUSTED, "cannot allocate a zstd decoder");
    check(ZSTD_DCtx_setParameter(context_.get(), ZSTD_d_windowLogMax, kZstdMaxWindowLog));
  }

  void decompress(std::span<const std::uint8_t>& in, std::span<std::uint8_t>& out) override {
    while (!out.empty()) {
      ZSTD_inBuffer input{in.data(), in.size(), 0};
      ZSTD_outBuffer output{out.data(), out.size(), 0};
      std::size_t hint = check(ZSTD_decompressStream(context_.get(), &output, &input));
      in = in.subspan(input.pos);
      out = out.subspan(output.pos);
      started_ = started_ || input.pos > 0;
      // 0: a frame ended and everything it holds was written.
      if (input.pos > 0 || output.pos > 0) frameEnded_ = hint == 0;
      if (input.pos == 0 && output.pos == 0) return;  // needs more input
    }
  }

  void finish() override {
    if (!started_) fail(TENON_INVALID_ARGUMENT, "empty, not zstd data");
    if (!frameEnded_) fail(TENON_INVALID_ARGUMENT, "truncated zstd data (the stream ends inside a frame)");
  }

 private:
  std::size_t check(std::size_t result) const {
    if (!ZSTD_isError(result)) return result;
    if (ZSTD_getErrorCode(result) == ZSTD_error_frameParameter_windowTooLarge)
      fail(TENON_INVALID_ARGUMENT, "a zstd frame asks for a window over the " +
                                       std::to_string((1u << kZstdMaxWindowLog) >> 20) + " MiB limit");
    fail(TENON_INVALID_ARGUMENT, std::string("corrupt zstd data: ") + ZSTD_getErrorName(result));
  }

  struct Free {
    void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
  };

  std::unique_ptr<ZSTD_DCtx, Free> context_;
  bool started_ = false;
  bool frameEnded_ = false;
};

}  // namespace

std::unique_ptr<Decompressor> makeZstdDecompressor() {
  return std::make_unique<ZstdDecompressor>();
}

}  // namespace tenon::unpack
