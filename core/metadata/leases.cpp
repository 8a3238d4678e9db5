#include "metadata/leases.hpp"

#include "metadata/namespaces.hpp"
#include "metadata/record_keys.hpp"
#include "metadata/record_table.hpp"
#include "metadata/validation.hpp"

namespace tenon::metadata::leases {

namespace {

Json encode(const Lease& l) {
  return {{"v", kRecordVersion},
          {"id", l.id},
          {"labels", l.labels},
          {"createdAt", l.createdAt},
          {"expiresAt", l.expiresAt}};
}

Lease decode(const Json& j) {
  return {j.at("id").get<std::string>(), j.value("labels", Labels{}), j.value("createdAt", std::int64_t{0}),
          j.value("expiresAt", std::int64_t{0})};
}

// The value holds the whole resource so that a folded key (a long snapshot key) still reads back.
Json encodeResource(const LeaseResource& r) { return {{"v", kRecordVersion}, {"type", r.type}, {"key", r.key}}; }

LeaseResource decodeResource(const Json& j) {
  return {j.at("type").get<std::string>(), j.at("key").get<std::string>()};
}

constexpr RecordTable<Lease> kTable{&Tables::leases, {encode, decode}};
constexpr RecordTable<LeaseResource> kResources{&Tables::leaseResources, {encodeResource, decodeResource}};
constexpr std::string_view kSnapshotsType = "snapshots/";

RecordRef ref(std::string_view ns, std::string_view id) {
  validateNamespace(ns);
  validateIdentifier("lease id", id);
  return {recordKey({ns, id}), "lease " + quote(id) + " in namespace " + quote(ns)};
}

void validateResource(const LeaseResource& r) {
  if (r.type == "content") return validateDigest(r.key);
  if (r.type == "ingests") return validateKey("ingest ref", r.key);
  if (r.type.starts_with(kSnapshotsType)) {
    validateIdentifier("snapshotter", std::string_view(r.type).substr(kSnapshotsType.size()));
    return validateKey("snapshot key", r.key);
  }
  fail(TENON_INVALID_ARGUMENT, "invalid lease resource type " + quote(r.type) +
                                   ": use \"content\", \"ingests\" or \"snapshots/<snapshotter>\"");
}

RecordRef resourceRef(std::string_view ns, std::string_view id, const LeaseResource& r) {
  validateResource(r);
  return {recordKey({ns, id, r.type, r.key}), "resource " + r.type + " " + quote(r.key) + " of lease " + quote(id)};
}

}  // namespace

Lease create(WriteTx& tx, std::string_view ns, Lease lease) {
  RecordRef r = ref(ns, lease.id);
  validateLabels("label", lease.labels);
  if (lease.expiresAt < 0)
    fail(TENON_INVALID_ARGUMENT, "invalid expiry " + std::to_string(lease.expiresAt) + " for " + r.what);
  return kTable.create(tx, ns, r, std::move(lease));
}

std::optional<Lease> find(const ReadTx& tx, std::string_view ns, std::string_view id) {
  return kTable.find(tx, ref(ns, id));
}

Lease get(const ReadTx& tx, std::string_view ns, std::string_view id) { return kTable.get(tx, ref(ns, id)); }

std::vector<Lease> list(const ReadTx& tx, std::string_view ns) {
  validateNamespace(ns);
  return kTable.list(tx, keyPrefix({ns}));
}

Lease remove(WriteTx& tx, std::string_view ns, std::string_view id) {
  Lease lease = kTable.erase(tx, ref(ns, id));
  // Keys first, deletes after: deleting under an open cursor would skip entries.
  std::vector<std::string> keys;
  tx.txn().scan(tx.tables().leaseResources, keyPrefix({ns, id}), [&](std::string_view key, std::string_view) {
    keys.emplace_back(key);
    return true;
  });
  for (const std::string& key : keys) tx.writer().del(tx.tables().leaseResources, key);
  return lease;
}

void addResource(WriteTx& tx, std::string_view ns, std::string_view id, const LeaseResource& resource) {
  RecordRef lease = ref(ns, id);
  RecordRef r = resourceRef(ns, id, resource);
  if (!kTable.contains(tx, lease)) fail(TENON_NOT_FOUND, lease.what + " not found");
  kResources.put(tx, r, resource);
}

void removeResource(WriteTx& tx, std::string_view ns, std::string_view id, const LeaseResource& resource) {
  RecordRef lease = ref(ns, id);
  RecordRef r = resourceRef(ns, id, resource);
  if (!kTable.contains(tx, lease)) fail(TENON_NOT_FOUND, lease.what + " not found");
  tx.writer().del(tx.tables().leaseResources, r.key);
}

std::vector<LeaseResource> resources(const ReadTx& tx, std::string_view ns, std::string_view id) {
  kTable.get(tx, ref(ns, id));
  return kResources.list(tx, keyPrefix({ns, id}));
}

std::vector<LeaseRef> expired(const ReadTx& tx, std::int64_t now) {
  std::vector<LeaseRef> out;
  for (const Namespace& ns : namespaces::list(tx))
    for (const Lease& lease : list(tx, ns.name))
      if (lease.expiresAt != 0 && lease.expiresAt <= now) out.push_back({ns.name, lease.id});
  return out;
}

}  // namespace tenon::metadata::leases
