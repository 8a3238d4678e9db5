// Unpack's progress as the transfer's ProgressEvents, kind "unpack": for each
// layer, ref = the layer's digest, digest = its chain ID, bytes/total = the
// compressed bytes read of the blob, done once it is in its snapshot (message
// "already unpacked" when its snapshot was there); then a final done event
// whose ref is the image's name and digest the image's top chain ID.
#pragma once

#include <string>

#include "transfer/progress_channel.hpp"
#include "unpack/image_unpacker.hpp"

namespace tenon::transfer {

// Sends `image`'s unpack events to `channel`, which must outlive the unpack.
unpack::UnpackProgress unpackEvents(ProgressChannel& channel, const std::string& image);

}  // namespace tenon::transfer
