#include "metadata/namespaces.hpp"

#include "metadata/record_keys.hpp"
#include "metadata/record_table.hpp"
#include "metadata/validation.hpp"

namespace tenon::metadata::namespaces {

namespace {

Json encode(const Namespace& ns) {
  return {{"v", kRecordVersion},
          {"name", ns.name},
          {"labels", ns.labels},
          {"createdAt", ns.createdAt},
          {"updatedAt", ns.updatedAt}};
}

Namespace decode(const Json& j) {
  return {j.at("name").get<std::string>(), j.value("labels", Labels{}), j.value("createdAt", std::int64_t{0}),
          j.value("updatedAt", std::int64_t{0})};
}

constexpr RecordTable<Namespace> kTable{&Tables::namespaces, {encode, decode}};

RecordRef ref(std::string_view name) {
  validateNamespace(name);
  return {std::string(name), "namespace " + quote(name)};
}

// The record types a namespace holds, and how a message counts them.
struct Holding {
  lmdb::Dbi Tables::*table;
  const char* one;
  const char* many;
};
constexpr Holding kHoldings[] = {
    {&Tables::images, "image", "images"},
    {&Tables::containers, "container", "containers"},
    {&Tables::content, "content blob", "content blobs"},
    {&Tables::leases, "lease", "leases"},
    {&Tables::snapshots, "snapshot", "snapshots"},
};

// "2 images, 1 lease", or "" when the namespace holds nothing.
std::string describeContents(const ReadTx& tx, std::string_view name) {
  std::string prefix = keyPrefix({name});
  std::string out;
  for (const Holding& holding : kHoldings) {
    std::size_t count = 0;
    tx.txn().scan(tx.tables().*holding.table, prefix, [&](std::string_view, std::string_view) {
      ++count;
      return true;
    });
    if (count == 0) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(count) + " " + (count == 1 ? holding.one : holding.many);
  }
  return out;
}

}  // namespace

Namespace create(WriteTx& tx, std::string_view name, const Labels& labels) {
  RecordRef r = ref(name);
  validateLabels("label", labels);
  Namespace ns{std::string(name), labels, tx.now(), tx.now()};
  kTable.insert(tx, r, ns);
  return ns;
}

void ensure(WriteTx& tx, std::string_view name) {
  RecordRef r = ref(name);
  if (!kTable.contains(tx, r)) kTable.put(tx, r, Namespace{std::string(name), {}, tx.now(), tx.now()});
}

std::optional<Namespace> find(const ReadTx& tx, std::string_view name) { return kTable.find(tx, ref(name)); }

Namespace get(const ReadTx& tx, std::string_view name) { return kTable.get(tx, ref(name)); }

std::vector<Namespace> list(const ReadTx& tx) { return kTable.list(tx, ""); }

Namespace setLabels(WriteTx& tx, std::string_view name, const Labels& labels) {
  RecordRef r = ref(name);
  validateLabels("label", labels);
  return kTable.modify(tx, r, [&](Namespace& ns) {
    ns.labels = labels;
    ns.updatedAt = tx.after(ns.updatedAt);
  });
}

void remove(WriteTx& tx, std::string_view name) {
  RecordRef r = ref(name);
  kTable.get(tx, r);  // not_found before "not empty"
  if (std::string left = describeContents(tx, name); !left.empty())
    fail(TENON_FAILED_PRECONDITION, r.what + " is not empty: it still holds " + left + "; remove them first");
  kTable.erase(tx, r);
}

}  // namespace tenon::metadata::namespaces
