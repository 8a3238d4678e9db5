#include "sha256.hpp"

#include <fmt/core.h>

#include <tenon/error.hpp>

namespace tenon::ctr {

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
    fail(TENON_INTERNAL, "cannot start a SHA-256 hash (OpenSSL)");
}

void Sha256::update(const uint8_t* data, size_t size) {
  if (EVP_DigestUpdate(context_.get(), data, size) != 1) fail(TENON_INTERNAL, "SHA-256 update failed (OpenSSL)");
}

std::string Sha256::digest() {
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(context_.get(), hash, &size) != 1) fail(TENON_INTERNAL, "SHA-256 final failed (OpenSSL)");
  std::string text = "sha256:";
  for (unsigned int i = 0; i < size; ++i) text += fmt::format("{:02x}", hash[i]);
  return text;
}

}  // namespace tenon::ctr
