// Image records: a name (a reference such as "docker.io/library/busybox:latest")
// pointing at a target descriptor in the content store.
// Key: <ns>\0<name> in Tables::images.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/labels.hpp"
#include "metadata/transaction.hpp"

namespace tenon::metadata {

// An OCI descriptor: what the image name points at (an index or a manifest).
struct Descriptor {
  std::string mediaType;
  std::string digest;  // "sha256:<hex>"
  std::int64_t size = 0;
  Labels annotations;
};

struct Image {
  std::string name;
  Descriptor target;
  Labels labels;
  std::int64_t createdAt = 0;  // ns since the epoch; set by create
  std::int64_t updatedAt = 0;
};

// The fields an update replaces; those left empty stay as they are.
struct ImageUpdate {
  std::optional<Descriptor> target{};
  std::optional<Labels> labels{};
};

namespace images {

// Records `image` (its timestamps are set here) and creates the namespace if
// needed. Throws already_exists, or invalid_argument for a bad name or target.
Image create(WriteTx& tx, std::string_view ns, Image image);
std::optional<Image> find(const ReadTx& tx, std::string_view ns, std::string_view name);
// Throws not_found.
Image get(const ReadTx& tx, std::string_view ns, std::string_view name);
// The namespace's images in name order, only those whose name starts with `namePrefix`.
std::vector<Image> list(const ReadTx& tx, std::string_view ns, std::string_view namePrefix = {});
// Replaces the given fields and bumps updatedAt; throws not_found.
Image update(WriteTx& tx, std::string_view ns, std::string_view name, const ImageUpdate& change);
// Removes the record and returns it; throws not_found.
Image remove(WriteTx& tx, std::string_view ns, std::string_view name);

}  // namespace images
}  // namespace tenon::metadata
