#include "registry/encoding.hpp"

#include <openssl/evp.h>

#include <tenon/error.hpp>

namespace tenon::registry {

std::string sha256Text(const unsigned char* hash, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text = "sha256:";
  for (std::size_t i = 0; i < size; ++i) {
    text += kHex[hash[i] >> 4];
    text += kHex[hash[i] & 0xf];
  }
  return text;
}

std::string sha256Digest(std::string_view bytes) {
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), hash, &size, EVP_sha256(), nullptr) != 1)
    fail(TENON_INTERNAL, "SHA-256 failed (OpenSSL)");
  return sha256Text(hash, size);
}

std::string base64(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3), '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(written));
  return text;
}

}  // namespace tenon::registry
