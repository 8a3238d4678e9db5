// The end of a pull: in one metadata transaction, the image record (created,
// or re-targeted when the name exists), the GC labels that make the pulled
// graph reachable from it, the distribution-source labels on every blob of
// the pull, and the removal of the pull's own lease — so that GC never sees
// the blobs unreferenced between the lease and the image.
#pragma once

#include <set>
#include <string>

#include "content/content_store.hpp"
#include "metadata/images.hpp"
#include "metadata/metadata_store.hpp"
#include "registry/reference.hpp"

namespace tenon::pull {

struct PulledImage {
  metadata::Image image;
  bool created = false;  // false: an image of that name was re-targeted
};

struct PullRecord {
  std::string ns;
  registry::Reference reference;  // the image's name is reference.text()
  metadata::Descriptor target;
  bool allPlatforms = false;        // then every blob of the graph must be stored
  std::set<std::string> digests;    // every blob the pull stored or found
  std::string ownLease;             // removed in the transaction; "" when the caller's lease holds them
};

// Throws not_found for a blob the graph needs that is absent (all platforms),
// invalid_argument for a malformed document.
PulledImage recordPull(metadata::MetadataStore& metadata, const content::ContentStore& content,
                       const PullRecord& record);

}  // namespace tenon::pull
