#include "meta_store.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <tenon/error.hpp>

namespace tenon::snapshot_storage {

namespace {

constexpr std::string_view kNextId = "next-id";
// A parent chain longer than this can only be a loop in damaged records.
constexpr size_t kMaxChain = size_t{1} << 16;

int64_t nowNanos() {
  struct timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

const std::filesystem::path& createdDir(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    fail(TENON_INTERNAL, "cannot create " + dir.string() + ": " + std::strerror(errno));
  return dir;
}

std::string inQuotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

void checkKey(std::string_view key, const char* what) {
  if (key.empty()) fail(TENON_INVALID_ARGUMENT, std::string("the snapshot ") + what + " is empty");
  if (key.size() > kMaxKeyBytes)
    fail(TENON_INVALID_ARGUMENT, std::string("the snapshot ") + what + " is longer than " +
                                     std::to_string(kMaxKeyBytes) + " bytes");
  if (key.find('\0') != std::string_view::npos)
    fail(TENON_INVALID_ARGUMENT, std::string("the snapshot ") + what + " holds a NUL byte");
}

std::optional<Snapshot> find(const LmdbTxn& txn, MDB_dbi dbi, std::string_view key) {
  std::optional<std::string_view> bytes = txn.get(dbi, key);
  if (!bytes) return std::nullopt;
  return decodeRecord(key, *bytes);
}

Snapshot require(const LmdbTxn& txn, MDB_dbi dbi, std::string_view key) {
  std::optional<Snapshot> s = find(txn, dbi, key);
  if (!s) fail(TENON_NOT_FOUND, "snapshot " + inQuotes(key) + " not found");
  return *std::move(s);
}

// `first` and its ancestors' ids, nearest first.
std::vector<uint64_t> lineage(const LmdbTxn& txn, MDB_dbi dbi, const Snapshot& first) {
  std::vector<uint64_t> ids{first.id};
  std::string parent = first.parent;
  while (!parent.empty()) {
    if (ids.size() > kMaxChain) fail(TENON_INTERNAL, "snapshot metadata: the parents of " + first.key + " loop");
    Snapshot p = require(txn, dbi, parent);
    ids.push_back(p.id);
    parent = std::move(p.parent);
  }
  return ids;
}

std::string childKey(uint64_t parentId, uint64_t childId) { return encodeId(parentId) + encodeId(childId); }

}  // namespace

MetaStore::MetaStore(const std::filesystem::path& dir) : env_(createdDir(dir), 3) {
  LmdbTxn txn(env_, LmdbTxn::Mode::write);
  snapshots_ = txn.openDbi("snapshots");
  children_ = txn.openDbi("children");
  meta_ = txn.openDbi("meta");
  txn.commit();
}

SnapshotChain MetaStore::createActive(std::string_view key, std::string_view parent, const Labels& labels,
                                      const Materialise& materialise) {
  return create(Kind::active, key, parent, labels, materialise);
}

SnapshotChain MetaStore::createView(std::string_view key, std::string_view parent, const Labels& labels,
                                    const Materialise& materialise) {
  return create(Kind::view, key, parent, labels, materialise);
}

SnapshotChain MetaStore::create(Kind kind, std::string_view key, std::string_view parent, const Labels& labels,
                                const Materialise& materialise) {
  checkKey(key, "key");
  LmdbTxn txn(env_, LmdbTxn::Mode::write);
  if (txn.get(snapshots_, key)) fail(TENON_ALREADY_EXISTS, "snapshot " + inQuotes(key) + " already exists");
  SnapshotChain out;
  if (!parent.empty()) {
    std::optional<Snapshot> p = find(txn, snapshots_, parent);
    if (!p) fail(TENON_NOT_FOUND, "parent snapshot " + inQuotes(parent) + " not found");
    if (p->kind != Kind::committed)
      fail(TENON_FAILED_PRECONDITION,
           "parent snapshot " + inQuotes(parent) + " is " + kindName(p->kind) + ", not committed");
    out.parentIds = lineage(txn, snapshots_, *p);
  }
  std::optional<std::string_view> next = txn.get(meta_, kNextId);
  uint64_t id = next ? decodeId(*next) : 1;
  txn.put(meta_, kNextId, encodeId(id + 1));

  int64_t now = nowNanos();
  out.snapshot = Snapshot{id, kind, std::string(key), std::string(parent), labels, now, now};
  txn.put(snapshots_, key, encodeRecord(out.snapshot));
  if (!parent.empty()) txn.put(children_, childKey(out.parentIds.front(), id), key);
  materialise(out);
  txn.commit();
  return out;
}

Snapshot MetaStore::commit(std::string_view name, std::string_view key, const Labels& labels) {
  checkKey(name, "name");
  LmdbTxn txn(env_, LmdbTxn::Mode::write);
  Snapshot s = require(txn, snapshots_, key);
  if (s.kind != Kind::active)
    fail(TENON_FAILED_PRECONDITION, "snapshot " + inQuotes(key) + " is " + kindName(s.kind) + ", not active");
  if (txn.get(snapshots_, name)) fail(TENON_ALREADY_EXISTS, "snapshot " + inQuotes(name) + " already exists");

  // Same id: the directory written while active becomes the committed layer.
  s.key = name;
  s.kind = Kind::committed;
  s.labels = labels;
  s.created = s.updated = nowNanos();
  txn.del(snapshots_, key);
  txn.put(snapshots_, name, encodeRecord(s));
  if (!s.parent.empty()) txn.put(children_, childKey(require(txn, snapshots_, s.parent).id, s.id), name);
  txn.commit();
  return s;
}

Snapshot MetaStore::remove(std::string_view key) {
  LmdbTxn txn(env_, LmdbTxn::Mode::write);
  Snapshot s = require(txn, snapshots_, key);
  std::string child;
  txn.scan(children_, encodeId(s.id), [&](std::string_view, std::string_view value) {
    child = value;
    return false;
  });
  if (!child.empty())
    fail(TENON_FAILED_PRECONDITION, "snapshot " + inQuotes(key) + " has children (" + inQuotes(child) + " at least)");
  txn.del(snapshots_, key);
  if (!s.parent.empty()) {
    if (std::optional<Snapshot> p = find(txn, snapshots_, s.parent)) txn.del(children_, childKey(p->id, s.id));
  }
  txn.commit();
  return s;
}

Snapshot MetaStore::get(std::string_view key) const {
  LmdbTxn txn(env_, LmdbTxn::Mode::read);
  return require(txn, snapshots_, key);
}

SnapshotChain MetaStore::chain(std::string_view key) const {
  LmdbTxn txn(env_, LmdbTxn::Mode::read);
  SnapshotChain out{require(txn, snapshots_, key), {}};
  out.parentIds = lineage(txn, snapshots_, out.snapshot);
  out.parentIds.erase(out.parentIds.begin());
  return out;
}

std::vector<uint64_t> MetaStore::parentChain(std::string_view key) const { return chain(key).parentIds; }

Snapshot MetaStore::updateLabels(std::string_view key, const Labels& labels) {
  LmdbTxn txn(env_, LmdbTxn::Mode::write);
  Snapshot s = require(txn, snapshots_, key);
  s.labels = labels;
  s.updated = nowNanos();
  txn.put(snapshots_, key, encodeRecord(s));
  txn.commit();
  return s;
}

void MetaStore::walk(const std::function<void(const Snapshot&)>& visit) const {
  std::vector<Snapshot> all;
  {
    LmdbTxn txn(env_, LmdbTxn::Mode::read);
    txn.scan(snapshots_, "", [&](std::string_view key, std::string_view value) {
      all.push_back(decodeRecord(key, value));
      return true;
    });
  }
  for (const Snapshot& s : all) visit(s);
}

std::vector<std::string> MetaStore::children(std::string_view key) const {
  LmdbTxn txn(env_, LmdbTxn::Mode::read);
  Snapshot s = require(txn, snapshots_, key);
  std::vector<std::string> out;
  txn.scan(children_, encodeId(s.id), [&](std::string_view, std::string_view value) {
    out.emplace_back(value);
    return true;
  });
  return out;
}

}  // namespace tenon::snapshot_storage
