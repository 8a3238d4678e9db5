// A running SHA-256 through OpenSSL's EVP interface, for digests computed on the client
// (the daemon verifies them again at commit).
#ifndef TENON_CTR_SHA256_HPP
#define TENON_CTR_SHA256_HPP

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tenon::ctr {

class Sha256 {
 public:
  Sha256();

  void update(const uint8_t* data, size_t size);
  // "sha256:<64 lower-case hex digits>" of everything given so far; ends the hash.
  std::string digest();

 private:
  struct Free {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> context_;
};

}  // namespace tenon::ctr

#endif  // TENON_CTR_SHA256_HPP
