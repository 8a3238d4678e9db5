// Walking an image's graph from its target: index → manifests → config and
// layers. The walk gives the blobs an image reaches (what export writes),
// the garbage-collection labels that make them reachable from the image's
// root (what creating an image sets on the content records), and which blobs
// are missing — refused or tolerated, per the caller's policy.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "images/platform.hpp"
#include "metadata/images.hpp"

namespace tenon::images {

// Where the walk reads blobs from.
class BlobSource {
 public:
  virtual ~BlobSource() = default;
  // The size of blob `digest`, or nullopt when it is absent.
  virtual std::optional<std::int64_t> size(const std::string& digest) = 0;
  // The whole of a present blob of `size` bytes (at most kMaxJsonBytes).
  virtual std::string read(const std::string& digest, std::int64_t size) = 0;
};

enum class Missing {
  skip,                  // any blob may be absent: it is reported, not refused
  failForHostPlatform,   // the host platform's manifests must be complete; others may be absent
  fail,                  // every blob must be present
};

struct WalkOptions {
  Missing missing = Missing::skip;
  std::string source = "the content store";  // where absent blobs are absent from, for messages
  Platform platform = hostPlatform();        // the platform failForHostPlatform requires
};

struct ImageBlob {
  metadata::Descriptor descriptor;
  std::string role;  // "index", "manifest", "config" or "layer"
  bool present = false;
};

struct ImageGraph {
  std::vector<ImageBlob> blobs;  // parents before their children, each digest once
  // For each parent present: tenon.io/gc.ref.content.{m.<i>,config,l.<i>} = child digest.
  std::map<std::string, metadata::Labels> gcLabels;
  std::vector<std::string> missing;  // absent blobs that were tolerated, one sentence each
};

// Walks from `root`. Throws not_found for a required blob that is absent,
// invalid_argument for a document that is malformed, too large, of an unknown
// media type, or whose size differs from its descriptor's.
ImageGraph walkImage(BlobSource& blobs, const metadata::Descriptor& root, const WalkOptions& options);

}  // namespace tenon::images
