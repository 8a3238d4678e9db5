// The few LMDB pieces the snapshot metadata needs, as RAII types: an
// environment, a transaction that aborts unless committed, prefix scans.
// LMDB result codes become tenon::Error here and nowhere else. (The core has
// its own LMDB layer; a plugin may include only sdk/, so this one is private.)
#pragma once

#include <lmdb.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

namespace tenon::snapshot_storage {

// LMDB refuses longer keys (its compile-time MDB_MAXKEYSIZE).
inline constexpr std::size_t kMaxKeyBytes = 511;

// Throws the tenon::Error for an LMDB result code unless it is MDB_SUCCESS.
void checkLmdb(int rc, std::string_view what);

// `<dir>/data.mdb` + `<dir>/lock.mdb`, opened with MDB_NOTLS so that a read
// transaction belongs to its object and not to the thread (the core calls a
// plugin from any thread of its pool).
class LmdbEnv {
 public:
  LmdbEnv(const std::filesystem::path& dir, unsigned maxDbs);
  ~LmdbEnv();
  LmdbEnv(const LmdbEnv&) = delete;
  LmdbEnv& operator=(const LmdbEnv&) = delete;

  MDB_env* raw() const { return env_; }

 private:
  MDB_env* env_ = nullptr;
};

class LmdbTxn {
 public:
  enum class Mode { read, write };
  LmdbTxn(const LmdbEnv& env, Mode mode);
  ~LmdbTxn();
  LmdbTxn(const LmdbTxn&) = delete;
  LmdbTxn& operator=(const LmdbTxn&) = delete;

  // Opens (creating in a write transaction) the named database.
  MDB_dbi openDbi(const char* name);
  // A returned view points into the map: valid until the transaction ends or the next write.
  std::optional<std::string_view> get(MDB_dbi dbi, std::string_view key) const;
  void put(MDB_dbi dbi, std::string_view key, std::string_view value);
  // False when the key was absent.
  bool del(MDB_dbi dbi, std::string_view key);
  // Calls fn(key, value) for each entry whose key starts with `prefix`, in
  // key order, until fn returns false. fn must not write to `dbi`.
  void scan(MDB_dbi dbi, std::string_view prefix,
            const std::function<bool(std::string_view key, std::string_view value)>& fn) const;
  // Makes the writes durable; the object is finished afterwards.
  void commit();

 private:
  MDB_txn* txn_ = nullptr;
};

}  // namespace tenon::snapshot_storage
