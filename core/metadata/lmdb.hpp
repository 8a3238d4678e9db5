// A thin RAII layer over LMDB: one environment, transactions that end in
// their destructors, named databases opened once, and key-prefix scans.
// LMDB's result codes become tenon::Error here and nowhere else.
#pragma once

#include <lmdb.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tenon/error.hpp>

namespace tenon::metadata::lmdb {

// LMDB refuses longer keys (its compile-time MDB_MAXKEYSIZE); Env checks it at open.
inline constexpr std::size_t kMaxKeyBytes = 511;

// The file is not a store LMDB can read: a bad header, another format version,
// a broken page structure. Carries TENON_UNAVAILABLE because the daemon keeps
// serving without the store; MetadataStore turns it into its damage() message.
class DamagedError : public Error {
 public:
  explicit DamagedError(std::string reason) : Error(TENON_UNAVAILABLE, std::move(reason)) {}
};

// Throws the tenon::Error matching an LMDB result code unless it is MDB_SUCCESS;
// `what` names the operation for the message.
void check(int rc, std::string_view what);

// A named database: opened once, then valid for the Env's life on every thread.
struct Dbi {
  MDB_dbi handle = 0;
};

struct EnvOptions {
  // Address space reserved for the map, not disk: the file grows as pages are used.
  std::size_t mapSize = std::size_t{16} << 30;
  unsigned maxDbs = 32;
  // One slot per open read transaction; RPC worker threads may hold many at once.
  unsigned maxReaders = 510;
};

class WriteTxn;

// An open environment: `<dir>/data.mdb` and its `<dir>/lock.mdb`. Opened with
// MDB_NOTLS so that a read transaction is tied to its object, not its thread.
// LMDB forbids opening one file twice in a process: keep one Env per directory.
class Env {
 public:
  Env(const std::filesystem::path& dir, const EnvOptions& options);
  ~Env();
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  MDB_env* raw() const { return env_; }
  // Bytes the file must hold for every page the last commit refers to.
  std::uint64_t bytesInUse() const;
  // Opens (creating if needed) the named database; usable by all once `txn` commits.
  Dbi openDbi(WriteTxn& txn, const char* name);

 private:
  MDB_env* env_ = nullptr;
};

// What both kinds of transaction can do: read. A string_view returned by get()
// or passed to a scan callback points into the map and is valid until the
// transaction ends or, in a write transaction, until the next put or del.
class Txn {
 public:
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  std::optional<std::string_view> get(Dbi dbi, std::string_view key) const;
  // Calls fn(key, value) for each entry whose key starts with `prefix`, in key
  // order, until fn returns false. fn must not write to `dbi`.
  void scan(Dbi dbi, std::string_view prefix,
            const std::function<bool(std::string_view key, std::string_view value)>& fn) const;
  bool hasPrefix(Dbi dbi, std::string_view prefix) const;

 protected:
  Txn(const Env& env, unsigned flags);
  ~Txn();
  MDB_txn* txn_ = nullptr;  // null once committed
};

// A snapshot of the store; may be used from any one thread at a time.
class ReadTxn : public Txn {
 public:
  explicit ReadTxn(const Env& env) : Txn(env, MDB_RDONLY) {}
};

// The single writer: LMDB serialises write transactions with a lock held by
// the thread that began it, so begin, use and commit on that thread, and never
// begin a second one on it while the first is open (that deadlocks).
// Aborts in its destructor unless committed.
class WriteTxn : public Txn {
 public:
  explicit WriteTxn(const Env& env) : Txn(env, 0) {}

  void put(Dbi dbi, std::string_view key, std::string_view value);
  // Whether the key was there.
  bool del(Dbi dbi, std::string_view key);
  void commit();

 private:
  friend class Env;
  MDB_txn* raw() const { return txn_; }
};

}  // namespace tenon::metadata::lmdb
