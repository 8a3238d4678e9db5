#include "metadata/content_records.hpp"

#include "metadata/namespaces.hpp"
#include "metadata/record_keys.hpp"
#include "metadata/record_table.hpp"
#include "metadata/validation.hpp"

namespace tenon::metadata::content_records {

namespace {

Json encode(const ContentRecord& c) {
  return {{"v", kRecordVersion}, {"digest", c.digest},       {"size", c.size},
          {"labels", c.labels},  {"createdAt", c.createdAt}, {"updatedAt", c.updatedAt}};
}

ContentRecord decode(const Json& j) {
  return {j.at("digest").get<std::string>(), j.at("size").get<std::int64_t>(), j.value("labels", Labels{}),
          j.value("createdAt", std::int64_t{0}), j.value("updatedAt", std::int64_t{0})};
}

constexpr RecordTable<ContentRecord> kTable{&Tables::content, {encode, decode}};

RecordRef ref(std::string_view ns, std::string_view digest) {
  validateNamespace(ns);
  validateDigest(digest);
  return {recordKey({ns, digest}), "content " + std::string(digest) + " in namespace " + quote(ns)};
}

}  // namespace

ContentRecord add(WriteTx& tx, std::string_view ns, std::string_view digest, std::int64_t size, const Labels& labels) {
  RecordRef r = ref(ns, digest);
  if (size < 0) fail(TENON_INVALID_ARGUMENT, "invalid size " + std::to_string(size) + " for " + r.what);
  validateLabels("label", labels);
  if (auto existing = kTable.find(tx, r)) {
    if (existing->size != size)
      fail(TENON_FAILED_PRECONDITION,
           r.what + " is recorded with size " + std::to_string(existing->size) + ", not " + std::to_string(size));
    return *existing;
  }
  return kTable.create(tx, ns, r, ContentRecord{std::string(digest), size, labels, 0, 0});
}

std::optional<ContentRecord> find(const ReadTx& tx, std::string_view ns, std::string_view digest) {
  return kTable.find(tx, ref(ns, digest));
}

ContentRecord get(const ReadTx& tx, std::string_view ns, std::string_view digest) {
  return kTable.get(tx, ref(ns, digest));
}

std::vector<ContentRecord> list(const ReadTx& tx, std::string_view ns) {
  validateNamespace(ns);
  return kTable.list(tx, keyPrefix({ns}));
}

ContentRecord setLabels(WriteTx& tx, std::string_view ns, std::string_view digest, const Labels& labels) {
  RecordRef r = ref(ns, digest);
  validateLabels("label", labels);
  return kTable.modify(tx, r, [&](ContentRecord& c) {
    c.labels = labels;
    c.updatedAt = tx.after(c.updatedAt);
  });
}

ContentRecord remove(WriteTx& tx, std::string_view ns, std::string_view digest) {
  return kTable.erase(tx, ref(ns, digest));
}

std::vector<std::string> namespacesReferencing(const ReadTx& tx, std::string_view digest) {
  validateDigest(digest);
  // Every record's namespace has a namespace record (ensure), so one lookup per namespace finds them all.
  std::vector<std::string> out;
  for (const Namespace& ns : namespaces::list(tx))
    if (tx.txn().get(tx.tables().content, recordKey({ns.name, digest}))) out.push_back(ns.name);
  return out;
}

}  // namespace tenon::metadata::content_records
