#include "metadata/snapshot_records.hpp"

#include "metadata/record_keys.hpp"
#include "metadata/record_table.hpp"
#include "metadata/validation.hpp"

namespace tenon::metadata::snapshot_records {

namespace {

Json encode(const SnapshotRecord& s) {
  return {{"v", kRecordVersion},        {"snapshotter", s.snapshotter}, {"key", s.key},
          {"backingKey", s.backingKey}, {"parent", s.parent},           {"labels", s.labels},
          {"createdAt", s.createdAt},   {"updatedAt", s.updatedAt}};
}

SnapshotRecord decode(const Json& j) {
  return {j.at("snapshotter").get<std::string>(), j.at("key").get<std::string>(), j.at("backingKey").get<std::string>(),
          j.value("parent", std::string{}),       j.value("labels", Labels{}),    j.value("createdAt", std::int64_t{0}),
          j.value("updatedAt", std::int64_t{0})};
}

Json encodeRef(const SnapshotRef& r) { return {{"v", kRecordVersion}, {"ns", r.ns}, {"key", r.key}}; }

SnapshotRef decodeRef(const Json& j) { return {j.at("ns").get<std::string>(), j.at("key").get<std::string>()}; }

Json encodeChild(const std::string& key) { return {{"v", kRecordVersion}, {"key", key}}; }

std::string decodeChild(const Json& j) { return j.at("key").get<std::string>(); }

constexpr RecordTable<SnapshotRecord> kTable{&Tables::snapshots, {encode, decode}};
constexpr RecordTable<SnapshotRef> kBacking{&Tables::snapshotBacking, {encodeRef, decodeRef}};
constexpr RecordTable<std::string> kChildren{&Tables::snapshotChildren, {encodeChild, decodeChild}};
constexpr std::string_view kSequenceKey = "snapshot-sequence";

RecordRef ref(std::string_view ns, std::string_view snapshotter, std::string_view key) {
  validateNamespace(ns);
  validateIdentifier("snapshotter", snapshotter);
  validateKey("snapshot key", key);
  return {recordKey({ns, snapshotter, key}),
          std::string(snapshotter) + " snapshot " + quote(key) + " in namespace " + quote(ns)};
}

// Parents may be 4 KiB long: the index keys them by hash so the child part stays scannable.
std::string childrenPrefix(std::string_view ns, std::string_view snapshotter, std::string_view parent) {
  return keyPrefix({ns, snapshotter, sha256Hex(parent)});
}

RecordRef childRef(std::string_view ns, std::string_view snapshotter, std::string_view parent, std::string_view child) {
  return {recordKey({ns, snapshotter, sha256Hex(parent), child}), "child " + quote(child) + " of " + quote(parent)};
}

RecordRef backingRef(std::string_view snapshotter, std::string_view backingKey) {
  validateKey("backing key", backingKey);
  return {recordKey({snapshotter, backingKey}), std::string(snapshotter) + " backing key " + quote(backingKey)};
}

// A backing key no namespace has used: "<ns>/<n>/<key>" (just "<ns>/<n>" for
// a very long key), n from a counter kept in the store.
std::string nextBackingKey(WriteTx& tx, std::string_view ns, std::string_view snapshotter, std::string_view key) {
  auto stored = tx.txn().get(tx.tables().meta, kSequenceKey);
  std::uint64_t n = stored ? std::stoull(std::string(*stored)) : 0;
  std::string backing;
  do {
    backing = std::string(ns) + "/" + std::to_string(++n);
    if (backing.size() + 1 + key.size() <= kMaxKeyBytes) backing += "/" + std::string(key);
  } while (kBacking.contains(tx, backingRef(snapshotter, backing)));  // a caller may have chosen it
  tx.writer().put(tx.tables().meta, kSequenceKey, std::to_string(n));
  return backing;
}

}  // namespace

SnapshotRecord create(WriteTx& tx, std::string_view ns, SnapshotRecord record) {
  RecordRef r = ref(ns, record.snapshotter, record.key);
  validateLabels("label", record.labels);
  if (!record.parent.empty()) {
    RecordRef parent = ref(ns, record.snapshotter, record.parent);
    if (!kTable.contains(tx, parent)) fail(TENON_NOT_FOUND, "parent " + parent.what + " not found");
  }
  // Checked before the indexes are written: record functions check, then write,
  // so that a caller who catches the error and commits commits nothing half-made.
  if (kTable.contains(tx, r)) fail(TENON_ALREADY_EXISTS, r.what + " already exists");
  if (record.backingKey.empty()) record.backingKey = nextBackingKey(tx, ns, record.snapshotter, record.key);
  RecordRef backing = backingRef(record.snapshotter, record.backingKey);
  kBacking.insert(tx, backing, SnapshotRef{std::string(ns), record.key});
  if (!record.parent.empty())
    kChildren.put(tx, childRef(ns, record.snapshotter, record.parent, record.key), record.key);
  return kTable.create(tx, ns, r, std::move(record));
}

std::optional<SnapshotRecord> find(const ReadTx& tx, std::string_view ns, std::string_view snapshotter,
                                   std::string_view key) {
  return kTable.find(tx, ref(ns, snapshotter, key));
}

SnapshotRecord get(const ReadTx& tx, std::string_view ns, std::string_view snapshotter, std::string_view key) {
  return kTable.get(tx, ref(ns, snapshotter, key));
}

std::vector<SnapshotRecord> list(const ReadTx& tx, std::string_view ns, std::string_view snapshotter) {
  validateNamespace(ns);
  if (snapshotter.empty()) return kTable.list(tx, keyPrefix({ns}));
  validateIdentifier("snapshotter", snapshotter);
  return kTable.list(tx, keyPrefix({ns, snapshotter}));
}

SnapshotRecord setLabels(WriteTx& tx, std::string_view ns, std::string_view snapshotter, std::string_view key,
                         const Labels& labels) {
  RecordRef r = ref(ns, snapshotter, key);
  validateLabels("label", labels);
  return kTable.modify(tx, r, [&](SnapshotRecord& s) {
    s.labels = labels;
    s.updatedAt = tx.after(s.updatedAt);
  });
}

SnapshotRecord remove(WriteTx& tx, std::string_view ns, std::string_view snapshotter, std::string_view key) {
  RecordRef r = ref(ns, snapshotter, key);
  SnapshotRecord record = kTable.get(tx, r);
  if (auto kids = children(tx, ns, snapshotter, key); !kids.empty())
    fail(TENON_FAILED_PRECONDITION, r.what + " has " + std::to_string(kids.size()) + " child snapshot(s), e.g. " +
                                        quote(kids.front()) + "; remove them first");
  kTable.erase(tx, r);
  tx.writer().del(tx.tables().snapshotBacking, backingRef(snapshotter, record.backingKey).key);
  if (!record.parent.empty())
    tx.writer().del(tx.tables().snapshotChildren, childRef(ns, snapshotter, record.parent, key).key);
  return record;
}

std::vector<std::string> children(const ReadTx& tx, std::string_view ns, std::string_view snapshotter,
                                  std::string_view parent) {
  ref(ns, snapshotter, parent);  // validates
  return kChildren.list(tx, childrenPrefix(ns, snapshotter, parent));
}

std::optional<SnapshotRef> findByBackingKey(const ReadTx& tx, std::string_view snapshotter,
                                            std::string_view backingKey) {
  validateIdentifier("snapshotter", snapshotter);
  return kBacking.find(tx, backingRef(snapshotter, backingKey));
}

}  // namespace tenon::metadata::snapshot_records
