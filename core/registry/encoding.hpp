// The encodings the registry protocol needs: content digests of manifests
// (sha256, as the OCI image spec names them) and Basic credentials (base64).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tenon::registry {

// "sha256:<64 lower-case hex digits>" of a finished hash of `size` bytes.
std::string sha256Text(const unsigned char* hash, std::size_t size);

// "sha256:<64 lower-case hex digits>" of `bytes`.
std::string sha256Digest(std::string_view bytes);

// Standard base64 with padding (RFC 4648 §4), as HTTP Basic auth wants it.
std::string base64(std::string_view bytes);

}  // namespace tenon::registry
