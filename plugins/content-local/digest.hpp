// Digests as the content store speaks them: "sha256:<64 lower-case hex>",
// validated on the way in, and computed by a streaming OpenSSL EVP hasher.
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace tenon::content_local {

// The one algorithm this store keeps; the blob folder is named after it.
inline constexpr std::string_view kAlgorithm = "sha256";
inline constexpr size_t kHexLength = 64;

// True for exactly 64 lower-case hex characters: a blob's file name.
bool isSha256Hex(std::string_view hex);

// The hex part of `digest` ("sha256:<hex>"). Throws invalid_argument naming
// the digest when it is malformed, or saying the algorithm is unsupported.
std::string_view parseDigest(std::string_view digest);

// An incremental sha256: feed bytes in order, read the digest at any point.
class Sha256Hasher {
 public:
  Sha256Hasher();
  // Appends `len` bytes to what is hashed.
  void update(const void* data, size_t len);
  // Starts over, as if nothing had been fed.
  void reset();
  // "sha256:<hex>" of everything fed so far; the hasher can go on afterwards.
  std::string digest() const;

 private:
  struct CtxFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx_;
};

// The lower-case hex sha256 of `text` (names an ingest folder after its ref).
std::string sha256Hex(std::string_view text);

}  // namespace tenon::content_local
