// The transactions record functions take: a read transaction sees one
// consistent snapshot; a write transaction holds every write of one operation,
// so that the operation lands whole or not at all.
#pragma once

#include <algorithm>
#include <cstdint>

#include "metadata/lmdb.hpp"

namespace tenon::metadata {

// The named databases of the store, opened once by MetadataStore. Keys are
// described in record_keys.hpp; the layout of each is next to its record type.
struct Tables {
  lmdb::Dbi meta;              // "schema" → store format version
  lmdb::Dbi namespaces;        // <ns> → namespace record
  lmdb::Dbi images;            // <ns>\0<name>
  lmdb::Dbi containers;        // <ns>\0<id>
  lmdb::Dbi content;           // <ns>\0<digest>
  lmdb::Dbi leases;            // <ns>\0<id>
  lmdb::Dbi leaseResources;    // <ns>\0<lease>\0<type>\0<key>
  lmdb::Dbi snapshots;         // <ns>\0<snapshotter>\0<key>
  lmdb::Dbi snapshotChildren;  // <ns>\0<snapshotter>\0<sha256(parent)>\0<child>
  lmdb::Dbi snapshotBacking;   // <snapshotter>\0<backing key> (across namespaces)
};

class ReadTx {
 public:
  ReadTx(const lmdb::Txn& txn, const Tables& tables) : txn_(txn), tables_(tables) {}
  ReadTx(const ReadTx&) = delete;
  ReadTx& operator=(const ReadTx&) = delete;

  const lmdb::Txn& txn() const { return txn_; }
  const Tables& tables() const { return tables_; }

 private:
  const lmdb::Txn& txn_;
  const Tables& tables_;
};

class WriteTx : public ReadTx {
 public:
  WriteTx(lmdb::WriteTxn& txn, const Tables& tables, std::int64_t now) : ReadTx(txn, tables), writer_(txn), now_(now) {}

  lmdb::WriteTxn& writer() { return writer_; }
  // One clock reading (ns since the epoch) for every timestamp this transaction writes.
  std::int64_t now() const { return now_; }
  // An updatedAt later than `previous` even when the clock has not moved on
  // (or went back), so that "changed since" comparisons hold.
  std::int64_t after(std::int64_t previous) const { return std::max(now_, previous + 1); }

 private:
  lmdb::WriteTxn& writer_;
  std::int64_t now_;
};

}  // namespace tenon::metadata
