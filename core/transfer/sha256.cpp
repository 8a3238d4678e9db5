#include "transfer/sha256.hpp"

#include <tenon/error.hpp>

#include "registry/encoding.hpp"

namespace tenon::transfer {

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
    fail(TENON_INTERNAL, "cannot start a SHA-256 hash (OpenSSL)");
}

void Sha256::update(const void* data, std::size_t size) {
  if (EVP_DigestUpdate(context_.get(), data, size) != 1) fail(TENON_INTERNAL, "SHA-256 update failed (OpenSSL)");
}

std::string Sha256::digest() {
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(context_.get(), hash, &size) != 1) fail(TENON_INTERNAL, "SHA-256 final failed (OpenSSL)");
  return registry::sha256Text(hash, size);
}

std::string sha256Of(std::string_view bytes) { return registry::sha256Digest(bytes); }

}  // namespace tenon::transfer
