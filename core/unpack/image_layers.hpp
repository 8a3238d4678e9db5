// What unpack needs of an image: from its target (an index, searched for the
// platform's manifest, or a manifest) the manifest's layers in order, and
// from its config the diff_ids each layer's uncompressed tar must hash to
// (OCI image spec config.md, rootfs.diff_ids). Documents are hostile input:
// sizes are checked against descriptors and JSON against its cap.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "images/image_walk.hpp"
#include "metadata/images.hpp"
#include "unpack/platform_choice.hpp"

namespace tenon::unpack {

struct ImageLayers {
  metadata::Descriptor manifest;
  metadata::Descriptor config;
  std::string configJson;  // the config's bytes
  std::vector<metadata::Descriptor> layers;
  std::vector<std::string> diffIds;  // one per layer, in the same order
};

// The layers of `target` for `platform`. An index is searched depth first
// and its first matching manifest taken (an entry without a platform
// matches, as in containerd); nullopt when it has none. A manifest is taken
// as it is. Throws not_found for an absent document, invalid_argument for a
// malformed one or a config whose diff_ids do not pair up with the layers.
std::optional<ImageLayers> imageLayers(images::BlobSource& blobs, const metadata::Descriptor& target,
                                       const PlatformChoice& platform);

}  // namespace tenon::unpack
