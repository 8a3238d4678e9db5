#include "images/stored_blobs.hpp"

#include <tenon/error.hpp>

namespace tenon::images {

std::optional<std::int64_t> StoredBlobs::size(const std::string& digest) {
  try {
    return store_.info(ns_, digest).size;
  } catch (const Error& e) {
    if (e.code() != TENON_NOT_FOUND) throw;
    return std::nullopt;
  }
}

std::string StoredBlobs::read(const std::string& digest, std::int64_t size) {
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    std::span<std::uint8_t> rest(reinterpret_cast<std::uint8_t*>(bytes.data()) + filled, bytes.size() - filled);
    std::size_t n = store_.readAt(ns_, digest, static_cast<std::int64_t>(filled), rest);
    if (n == 0) fail(TENON_INTERNAL, "blob " + digest + " ended after " + std::to_string(filled) + " bytes");
    filled += n;
  }
  return bytes;
}

}  // namespace tenon::images
