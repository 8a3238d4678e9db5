// A blocking pull stream of bytes, the shape every stage of unpack reads
// from: a blob in the content store, a download in flight (fed through a
// transfer::BytePipe by the thread receiving it), a decompressed layer.
#pragma once

#include <cstddef>
#include <functional>

namespace tenon::unpack {

// Fills up to `max` bytes of `buffer` and returns how many; 0 only at the
// end. Blocks until bytes or the end arrive; throws on failure.
using ByteSource = std::function<std::size_t(void* buffer, std::size_t max)>;

}  // namespace tenon::unpack
