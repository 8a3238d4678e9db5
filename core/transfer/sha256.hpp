// A running SHA-256 (OpenSSL EVP), for archive files that are not named by
// their digest (a docker-archive's layer tars) and for documents tenon writes.
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace tenon::transfer {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  // "sha256:<64 lower-case hex digits>"; ends the hash.
  std::string digest();

 private:
  struct Free {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> context_;
};

// The digest of `bytes`.
std::string sha256Of(std::string_view bytes);

}  // namespace tenon::transfer
