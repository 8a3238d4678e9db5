// zstd through libzstd's streaming decoder, its window capped at
// kZstdMaxWindowLog: a frame's header declares the window the decoder must
// allocate, so an uncapped decoder lets a few hostile bytes reserve gigabytes.
// Several frames in a row (RFC 8878 §3.1) are read one after another.
#pragma once

#include <memory>

#include "unpack/decompressor.hpp"

namespace tenon::unpack {

std::unique_ptr<Decompressor> makeZstdDecompressor();

}  // namespace tenon::unpack
