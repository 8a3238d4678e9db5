// The records of one snapshotter's snapshots, kept in its own root like
// containerd's snapshots/storage: an LMDB environment in `<root>/metadata.db/`
// holding, by key, {id, kind, parent, labels, created, updated}, plus a
// parent → children index. Every mutation is one LMDB transaction, so a crash
// leaves the records as they were before or after it, never half-changed.
//
// The store knows nothing of directories: creators pass a `materialise`
// callback that runs inside the creating transaction, after every check and
// before the commit, so that a record is only ever written for a snapshot
// whose directories exist. What a crash leaves is the reverse (directories
// without a record), which the snapshotter's cleanup removes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

#include "lmdb_env.hpp"
#include "snapshot_record.hpp"

namespace tenon::snapshot_storage {

// A snapshot and the ids of its ancestors, nearest first.
struct SnapshotChain {
  Snapshot snapshot;
  std::vector<uint64_t> parentIds;
};

// Called with the new snapshot (its id allocated) and its parents' ids;
// what it throws aborts the creation.
using Materialise = std::function<void(const SnapshotChain& created)>;

class MetaStore {
 public:
  // Opens or creates the environment in `dir` (created 0700 if absent).
  explicit MetaStore(const std::filesystem::path& dir);

  // Records the active snapshot `key` on the committed `parent` ("" for none).
  // Throws invalid_argument (empty or over-long key), already_exists (key
  // taken), not_found (no such parent), failed_precondition (parent not committed).
  SnapshotChain createActive(std::string_view key, std::string_view parent, const Labels& labels,
                             const Materialise& materialise);
  // Like createActive, for a read-only view.
  SnapshotChain createView(std::string_view key, std::string_view parent, const Labels& labels,
                           const Materialise& materialise);
  // Turns the active `key` into the committed `name` (same id, so the same
  // directory), with `labels`. Throws not_found, failed_precondition (not
  // active), already_exists (name taken).
  Snapshot commit(std::string_view name, std::string_view key, const Labels& labels);
  // Deletes the record of `key` and returns it, so that the caller removes its
  // directory. Throws not_found, failed_precondition (it has children).
  Snapshot remove(std::string_view key);
  // Throws not_found.
  Snapshot get(std::string_view key) const;
  SnapshotChain chain(std::string_view key) const;
  // The ids of the ancestors of `key`, nearest first. Throws not_found.
  std::vector<uint64_t> parentChain(std::string_view key) const;
  // Replaces the labels of `key` and bumps its updated time. Throws not_found.
  Snapshot updateLabels(std::string_view key, const Labels& labels);
  // Calls `visit` for each snapshot in key order, outside any transaction (so
  // that it may call back into the store); what it throws stops the walk.
  void walk(const std::function<void(const Snapshot&)>& visit) const;
  // The keys of the snapshots whose parent is `key`, in id order.
  std::vector<std::string> children(std::string_view key) const;

 private:
  SnapshotChain create(Kind kind, std::string_view key, std::string_view parent, const Labels& labels,
                       const Materialise& materialise);

  LmdbEnv env_;
  MDB_dbi snapshots_ = 0;  // key → encoded Snapshot
  MDB_dbi children_ = 0;   // id(parent) id(child) → child key
  MDB_dbi meta_ = 0;       // "next-id" → id
};

}  // namespace tenon::snapshot_storage
