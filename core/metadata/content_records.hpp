// What each namespace knows of the content store. The blob itself is stored
// once by digest in the content plugin; a namespace sees it only once it has
// a record here (committing a blob another namespace has is then instant).
// Key: <ns>\0<digest> in Tables::content.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/labels.hpp"
#include "metadata/transaction.hpp"

namespace tenon::metadata {

struct ContentRecord {
  std::string digest;  // "sha256:<hex>"
  std::int64_t size = 0;
  Labels labels;
  std::int64_t createdAt = 0;  // ns since the epoch
  std::int64_t updatedAt = 0;
};

namespace content_records {

// Records `digest` in `ns` (creating the namespace if needed). Idempotent: when
// the namespace has the digest already, returns that record unchanged; a
// different size for the same digest is failed_precondition.
ContentRecord add(WriteTx& tx, std::string_view ns, std::string_view digest, std::int64_t size,
                  const Labels& labels = {});
std::optional<ContentRecord> find(const ReadTx& tx, std::string_view ns, std::string_view digest);
// Throws not_found.
ContentRecord get(const ReadTx& tx, std::string_view ns, std::string_view digest);
// The namespace's records in digest order.
std::vector<ContentRecord> list(const ReadTx& tx, std::string_view ns);
// Replaces the labels and bumps updatedAt; throws not_found.
ContentRecord setLabels(WriteTx& tx, std::string_view ns, std::string_view digest, const Labels& labels);
// Removes the namespace's record (never the blob) and returns it; throws not_found.
ContentRecord remove(WriteTx& tx, std::string_view ns, std::string_view digest);
// The namespaces that hold a record of `digest`: the blob may go once none does.
std::vector<std::string> namespacesReferencing(const ReadTx& tx, std::string_view digest);

}  // namespace content_records
}  // namespace tenon::metadata
