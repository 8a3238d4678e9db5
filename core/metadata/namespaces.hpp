// Namespaces: every record belongs to one. A namespace is created explicitly
// or by the first write in it (as in containerd), and removed only once empty.
// Key: <ns> in Tables::namespaces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/labels.hpp"
#include "metadata/transaction.hpp"

namespace tenon::metadata {

struct Namespace {
  std::string name;
  Labels labels;
  std::int64_t createdAt = 0;  // ns since the epoch
  std::int64_t updatedAt = 0;
};

namespace namespaces {

// Throws already_exists when it exists, invalid_argument for a bad name.
Namespace create(WriteTx& tx, std::string_view name, const Labels& labels = {});
// Creates the namespace unless it exists; every record type calls it before its first write.
void ensure(WriteTx& tx, std::string_view name);
std::optional<Namespace> find(const ReadTx& tx, std::string_view name);
// Throws not_found.
Namespace get(const ReadTx& tx, std::string_view name);
std::vector<Namespace> list(const ReadTx& tx);
// Replaces the labels; throws not_found.
Namespace setLabels(WriteTx& tx, std::string_view name, const Labels& labels);
// Throws not_found, or failed_precondition naming what the namespace still
// holds (images, containers, content, leases, snapshots).
void remove(WriteTx& tx, std::string_view name);

}  // namespace namespaces
}  // namespace tenon::metadata
