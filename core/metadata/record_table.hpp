// Storage shared by the record types: one compact JSON document per key, and
// the not_found / already_exists errors every type reports the same way.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tenon/error.hpp>
#include <utility>
#include <vector>

#include "metadata/namespaces.hpp"
#include "metadata/transaction.hpp"
#include "metadata/validation.hpp"

namespace tenon::metadata {

using Json = nlohmann::json;

// Every record carries it as "v" so that records can grow: a reader fills
// fields that older records lack with defaults and ignores fields it does not
// know. The store as a whole carries a schema number too (metadata_store.cpp).
inline constexpr int kRecordVersion = 1;

// A record's key and how messages name it: `image "x" in namespace "ns"`.
struct RecordRef {
  std::string key;
  std::string what;
};

// Compact JSON of a record; a string that is not UTF-8 is invalid_argument.
std::string encodeRecord(const Json& json, std::string_view what);
// A stored record parsed and decoded by `decode`; bytes that are not a
// readable record are an internal error naming the record.
Json parseRecord(std::string_view bytes, std::string_view what);
[[noreturn]] void failUnreadable(std::string_view what, std::string_view why);

template <class T>
struct RecordCodec {
  Json (*encode)(const T&);
  T (*decode)(const Json&);
};

// The records of one type, in one of the Tables.
template <class T>
class RecordTable {
 public:
  constexpr RecordTable(lmdb::Dbi Tables::*table, RecordCodec<T> codec) : table_(table), codec_(codec) {}

  std::optional<T> find(const ReadTx& tx, const RecordRef& ref) const {
    auto bytes = tx.txn().get(db(tx), ref.key);
    if (!bytes) return std::nullopt;
    return decode(*bytes, ref.what);
  }

  T get(const ReadTx& tx, const RecordRef& ref) const {
    if (auto record = find(tx, ref)) return std::move(*record);
    fail(TENON_NOT_FOUND, ref.what + " not found");
  }

  bool contains(const ReadTx& tx, const RecordRef& ref) const { return tx.txn().get(db(tx), ref.key).has_value(); }

  void insert(WriteTx& tx, const RecordRef& ref, const T& record) const {
    if (contains(tx, ref)) fail(TENON_ALREADY_EXISTS, ref.what + " already exists");
    put(tx, ref, record);
  }

  // Inserts a new record (already_exists when the key is taken) with its
  // timestamps stamped, creating its namespace if needed; returns what was stored.
  T create(WriteTx& tx, std::string_view ns, const RecordRef& ref, T record) const {
    if (contains(tx, ref)) fail(TENON_ALREADY_EXISTS, ref.what + " already exists");
    record.createdAt = tx.now();
    if constexpr (requires { record.updatedAt; }) record.updatedAt = tx.now();
    namespaces::ensure(tx, ns);
    put(tx, ref, record);
    return record;
  }

  void put(WriteTx& tx, const RecordRef& ref, const T& record) const {
    tx.writer().put(db(tx), ref.key, encodeRecord(codec_.encode(record), ref.what));
  }

  // Applies `change` to the stored record (not_found when absent) and returns the result.
  template <class Change>
  T modify(WriteTx& tx, const RecordRef& ref, Change&& change) const {
    T record = get(tx, ref);
    change(record);
    put(tx, ref, record);
    return record;
  }

  // Removes the record and returns what it held.
  T erase(WriteTx& tx, const RecordRef& ref) const {
    T record = get(tx, ref);
    tx.writer().del(db(tx), ref.key);
    return record;
  }

  // The records whose keys start with `prefix`, in key order, that `keep` accepts.
  template <class Keep>
  std::vector<T> list(const ReadTx& tx, std::string_view prefix, Keep&& keep) const {
    std::vector<T> out;
    tx.txn().scan(db(tx), prefix, [&](std::string_view key, std::string_view bytes) {
      T record = decode(bytes, "record " + quote(key));
      if (keep(record)) out.push_back(std::move(record));
      return true;
    });
    return out;
  }

  std::vector<T> list(const ReadTx& tx, std::string_view prefix) const {
    return list(tx, prefix, [](const T&) { return true; });
  }

 private:
  lmdb::Dbi db(const ReadTx& tx) const { return tx.tables().*table_; }

  T decode(std::string_view bytes, std::string_view what) const {
    Json json = parseRecord(bytes, what);
    try {
      return codec_.decode(json);
    } catch (const Json::exception& e) {
      failUnreadable(what, e.what());
    }
  }

  lmdb::Dbi Tables::*table_;
  RecordCodec<T> codec_;
};

}  // namespace tenon::metadata
