// How a layer blob is compressed, read from its media type (OCI image spec
// media-types.md, and Docker's image manifest v2 schema 2). Unpack trusts the
// media type, as the descriptor is what the image's author signed; a layer
// whose bytes disagree fails to decompress or to match its diff_id.
#pragma once

#include <string_view>

namespace tenon::unpack {

enum class Compression { none, gzip, zstd };

// The compression of a layer of `mediaType`. Throws invalid_argument naming a
// media type that is not a layer tenon can unpack (a foreign, encrypted or
// artifact layer, or a typo).
Compression layerCompression(std::string_view mediaType);

// "none", "gzip", "zstd".
const char* compressionName(Compression compression);

}  // namespace tenon::unpack
