// What a push sends, worked out from the content store before a byte goes
// out: the root document the reference will name, the blobs (configs and
// layers) the registry needs, and the manifests and indexes below the root,
// children before their parents (a registry refuses an index whose
// manifests it lacks, and a manifest whose blobs it lacks).
#pragma once

#include <string>
#include <vector>

#include "images/image_walk.hpp"
#include "metadata/images.hpp"

namespace tenon::push {

struct PushPlan {
  metadata::Descriptor root;
  // Set when the root is an index made for the push (some platforms of the
  // image's index only): it is not in the content store.
  std::string madeRootBytes;
  std::vector<images::ImageBlob> blobs;      // configs and layers, each digest once
  std::vector<images::ImageBlob> documents;  // manifests and indexes below the root, children first
};

// The plan for pushing the image whose target is `target` (`image` names it
// in messages). `platforms` ("os/arch[/variant]", matched strictly; an index
// entry without a platform matches) keeps only those manifests of an index:
// one left becomes the root itself, several a new index holding just them.
// Every blob pushed must be in `blobs`: throws not_found naming the first that
// is not, not_found when no manifest matches the platforms, and
// invalid_argument for a malformed platform or document.
PushPlan planPush(images::BlobSource& blobs, const metadata::Descriptor& target, const std::string& image,
                  const std::vector<std::string>& platforms);

}  // namespace tenon::push
