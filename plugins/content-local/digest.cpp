#include "digest.hpp"

#include <tenon/error.hpp>

namespace tenon::content_local {

namespace {

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// The OCI image-spec grammar of an algorithm: [a-z0-9]+([+._-][a-z0-9]+)*.
bool isAlgorithmName(std::string_view name) {
  bool afterSeparator = true;
  for (char c : name) {
    if (isLowerAlnum(c)) {
      afterSeparator = false;
    } else if ((c == '+' || c == '.' || c == '_' || c == '-') && !afterSeparator) {
      afterSeparator = true;
    } else {
      return false;
    }
  }
  return !afterSeparator;
}

[[noreturn]] void failOpenSsl(const char* what) {
  fail(TENON_INTERNAL, std::string("OpenSSL ") + what + " failed");
}

}  // namespace

bool isSha256Hex(std::string_view hex) {
  if (hex.size() != kHexLength) return false;
  for (char c : hex)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string_view parseDigest(std::string_view digest) {
  std::string quoted = "\"" + std::string(digest) + "\"";
  size_t colon = digest.find(':');
  if (colon == std::string_view::npos || !isAlgorithmName(digest.substr(0, colon)))
    fail(TENON_INVALID_ARGUMENT, "invalid digest " + quoted + ": want \"sha256:<64 lower-case hex>\"");
  std::string_view algorithm = digest.substr(0, colon);
  std::string_view hex = digest.substr(colon + 1);
  if (algorithm != kAlgorithm)
    fail(TENON_INVALID_ARGUMENT, "unsupported digest algorithm \"" + std::string(algorithm) + "\" in digest " +
                                     quoted + ": this store supports only sha256");
  if (!isSha256Hex(hex))
    fail(TENON_INVALID_ARGUMENT, "invalid digest " + quoted + ": sha256 wants 64 lower-case hex characters");
  return hex;
}

Sha256Hasher::Sha256Hasher() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) failOpenSsl("EVP_MD_CTX_new");
  reset();
}

void Sha256Hasher::reset() {
  if (EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) failOpenSsl("EVP_DigestInit_ex");
}

void Sha256Hasher::update(const void* data, size_t len) {
  if (len > 0 && EVP_DigestUpdate(ctx_.get(), data, len) != 1) failOpenSsl("EVP_DigestUpdate");
}

std::string Sha256Hasher::digest() const {
  // Finalising consumes a context, so finalise a copy and keep this one going.
  std::unique_ptr<EVP_MD_CTX, CtxFree> copy(EVP_MD_CTX_new());
  if (!copy || EVP_MD_CTX_copy_ex(copy.get(), ctx_.get()) != 1) failOpenSsl("EVP_MD_CTX_copy_ex");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(copy.get(), md, &len) != 1) failOpenSsl("EVP_DigestFinal_ex");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kAlgorithm);
  out += ':';
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

std::string sha256Hex(std::string_view text) {
  Sha256Hasher hasher;
  hasher.update(text.data(), text.size());
  return hasher.digest().substr(kAlgorithm.size() + 1);
}

}  // namespace tenon::content_local
