// Namespaced snapshot keys. A snapshotter plugin knows each snapshot by one
// backing key, unique across namespaces; this store maps each namespace's own
// keys onto them, so that two namespaces may use the same key.
// Keys: <ns>\0<snapshotter>\0<key> in Tables::snapshots; the parent → child
// index <ns>\0<snapshotter>\0<sha256(parent)>\0<child> in snapshotChildren;
// <snapshotter>\0<backing key> → its record in snapshotBacking.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/labels.hpp"
#include "metadata/transaction.hpp"

namespace tenon::metadata {

struct SnapshotRecord {
  std::string snapshotter;  // the plugin's name, e.g. "overlayfs"
  std::string key;          // the namespace's key
  std::string backingKey;   // the key the snapshotter knows
  std::string parent;       // the parent's key in the same namespace, or empty
  Labels labels;
  std::int64_t createdAt = 0;  // ns since the epoch; set by create
  std::int64_t updatedAt = 0;
};

// Where a backing key is used.
struct SnapshotRef {
  std::string ns;
  std::string key;
  bool operator==(const SnapshotRef&) const = default;
};

namespace snapshot_records {

// Records `record` (timestamps set here), creating the namespace if needed.
// An empty backingKey gets a fresh "<ns>/<sequence>/<key>". Throws
// already_exists (the key, or a backing key in use), not_found (the parent),
// invalid_argument.
SnapshotRecord create(WriteTx& tx, std::string_view ns, SnapshotRecord record);
std::optional<SnapshotRecord> find(const ReadTx& tx, std::string_view ns, std::string_view snapshotter,
                                   std::string_view key);
// Throws not_found.
SnapshotRecord get(const ReadTx& tx, std::string_view ns, std::string_view snapshotter, std::string_view key);
// The namespace's snapshots of one snapshotter (of all when it is empty), in key order.
std::vector<SnapshotRecord> list(const ReadTx& tx, std::string_view ns, std::string_view snapshotter = {});
// Replaces the labels and bumps updatedAt; throws not_found.
SnapshotRecord setLabels(WriteTx& tx, std::string_view ns, std::string_view snapshotter, std::string_view key,
                         const Labels& labels);
// Removes the record and returns it (the caller removes backingKey from the
// plugin in the same operation); throws not_found, or failed_precondition
// while the snapshot has children.
SnapshotRecord remove(WriteTx& tx, std::string_view ns, std::string_view snapshotter, std::string_view key);
// The keys of the snapshots whose parent is `parent`.
std::vector<std::string> children(const ReadTx& tx, std::string_view ns, std::string_view snapshotter,
                                  std::string_view parent);
// Which namespace and key use a backing key, if any: for GC and for
// cleaning up what a plugin holds that no record points at.
std::optional<SnapshotRef> findByBackingKey(const ReadTx& tx, std::string_view snapshotter,
                                            std::string_view backingKey);

}  // namespace snapshot_records
}  // namespace tenon::metadata
