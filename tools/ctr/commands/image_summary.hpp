// What `ctr images ls` and `check` show of an image beyond its record, read
// from the content store through the public Content service like
// containerd's ctr does: the size the host's platform needs (the index, the
// matching manifest, its config and layers), the platforms the image is
// for, and which of its blobs the store lacks.
#ifndef TENON_CTR_COMMANDS_IMAGE_SUMMARY_HPP
#define TENON_CTR_COMMANDS_IMAGE_SUMMARY_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "../connection.hpp"
#include "content.capnp.h"
#include "images.capnp.h"

namespace tenon::ctr {

struct ImageSummary {
  int64_t size = 0;                    // of the blobs the host platform uses, by their descriptors
  std::vector<std::string> platforms;  // "linux/amd64", in the image's order
  std::vector<std::string> missing;    // digests of blobs the store lacks
  int64_t blobs = 0;                   // blobs looked at
};

// Walks `target` (index → manifests → config and layers); with `checkLayers`,
// asks the store about every layer too, not only the documents it reads.
ImageSummary summarizeImage(Connection& connection, rpc::Content::Client& content,
                            rpc::Descriptor::Reader target, bool checkLayers);

}  // namespace tenon::ctr

#endif  // TENON_CTR_COMMANDS_IMAGE_SUMMARY_HPP
