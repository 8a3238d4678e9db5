#include "metadata/record_keys.hpp"

#include <openssl/evp.h>

#include <tenon/error.hpp>

#include "metadata/lmdb.hpp"

namespace tenon::metadata {

static_assert(kKeyFoldAt + 1 + 64 == lmdb::kMaxKeyBytes, "a folded key fills an LMDB key exactly");

std::string sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1)
    fail(TENON_INTERNAL, "sha256 of a metadata key failed");
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::string recordKey(std::initializer_list<std::string_view> parts) {
  std::string key;
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) key += '\0';
    key += part;
    first = false;
  }
  if (key.size() <= lmdb::kMaxKeyBytes) return key;
  std::string folded = key.substr(0, kKeyFoldAt);
  folded += '\0';
  folded += sha256Hex(key);
  return folded;
}

std::string keyPrefix(std::initializer_list<std::string_view> parts) {
  std::string prefix;
  for (std::string_view part : parts) {
    prefix += part;
    prefix += '\0';
  }
  return prefix;
}

std::string_view foldSafePrefix(std::string_view prefix) { return prefix.substr(0, kKeyFoldAt); }

}  // namespace tenon::metadata
