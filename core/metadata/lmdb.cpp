#include "metadata/lmdb.hpp"

#include <cerrno>
#include <memory>

namespace tenon::metadata::lmdb {

namespace {

MDB_val toVal(std::string_view bytes) { return MDB_val{bytes.size(), const_cast<char*>(bytes.data())}; }

std::string_view fromVal(const MDB_val& val) { return {static_cast<const char*>(val.mv_data), val.mv_size}; }

struct CursorCloser {
  void operator()(MDB_cursor* cursor) const { mdb_cursor_close(cursor); }
};

}  // namespace

void check(int rc, std::string_view what) {
  if (rc == MDB_SUCCESS) return;
  std::string message = std::string(what) + ": " + mdb_strerror(rc);
  switch (rc) {
    // What LMDB reports when the bytes on disk are not a store it can read.
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_PANIC:
      throw DamagedError(std::move(message));
    case MDB_MAP_FULL:
    case MDB_TXN_FULL:
      fail(TENON_RESOURCE_EXHAUSTED, message + " (the metadata store is full)");
    case ENOSPC:
    case ENOMEM:
      fail(TENON_RESOURCE_EXHAUSTED, std::move(message));
    case MDB_READERS_FULL:
    case EAGAIN:
      fail(TENON_UNAVAILABLE, std::move(message));
    case EACCES:
    case EPERM:
      fail(TENON_PERMISSION_DENIED, std::move(message));
    default:
      fail(TENON_INTERNAL, std::move(message));
  }
}

Env::Env(const std::filesystem::path& dir, const EnvOptions& options) {
  check(mdb_env_create(&env_), "mdb_env_create");
  // Closing on every failure below: the constructor never finishes, so ~Env never runs.
  std::unique_ptr<MDB_env, void (*)(MDB_env*)> guard(env_, mdb_env_close);
  check(mdb_env_set_mapsize(env_, options.mapSize), "mdb_env_set_mapsize");
  check(mdb_env_set_maxdbs(env_, options.maxDbs), "mdb_env_set_maxdbs");
  check(mdb_env_set_maxreaders(env_, options.maxReaders), "mdb_env_set_maxreaders");
  check(mdb_env_open(env_, dir.c_str(), MDB_NOTLS, 0600), "open");
  if (mdb_env_get_maxkeysize(env_) < static_cast<int>(kMaxKeyBytes))
    fail(TENON_INTERNAL, "this LMDB build takes keys of at most " + std::to_string(mdb_env_get_maxkeysize(env_)) +
                             " bytes; tenon needs " + std::to_string(kMaxKeyBytes));
  guard.release();
}

Env::~Env() { mdb_env_close(env_); }

std::uint64_t Env::bytesInUse() const {
  MDB_envinfo info{};
  MDB_stat stat{};
  check(mdb_env_info(env_, &info), "mdb_env_info");
  check(mdb_env_stat(env_, &stat), "mdb_env_stat");
  return (static_cast<std::uint64_t>(info.me_last_pgno) + 1) * stat.ms_psize;
}

Dbi Env::openDbi(WriteTxn& txn, const char* name) {
  Dbi dbi;
  check(mdb_dbi_open(txn.raw(), name, MDB_CREATE, &dbi.handle), std::string("open database ") + name);
  return dbi;
}

Txn::Txn(const Env& env, unsigned flags) {
  check(mdb_txn_begin(env.raw(), nullptr, flags, &txn_), "begin transaction");
}

Txn::~Txn() {
  if (txn_) mdb_txn_abort(txn_);
}

std::optional<std::string_view> Txn::get(Dbi dbi, std::string_view key) const {
  MDB_val k = toVal(key), v{};
  int rc = mdb_get(txn_, dbi.handle, &k, &v);
  if (rc == MDB_NOTFOUND) return std::nullopt;
  check(rc, "read");
  return fromVal(v);
}

void Txn::scan(Dbi dbi, std::string_view prefix,
               const std::function<bool(std::string_view, std::string_view)>& fn) const {
  MDB_cursor* raw = nullptr;
  check(mdb_cursor_open(txn_, dbi.handle, &raw), "open cursor");
  std::unique_ptr<MDB_cursor, CursorCloser> cursor(raw);
  MDB_val k = toVal(prefix), v{};
  // MDB_SET_RANGE needs a non-empty key; an empty prefix starts at the first entry.
  int rc = mdb_cursor_get(raw, &k, &v, prefix.empty() ? MDB_FIRST : MDB_SET_RANGE);
  while (rc == MDB_SUCCESS) {
    std::string_view key = fromVal(k);
    if (!key.starts_with(prefix) || !fn(key, fromVal(v))) return;
    rc = mdb_cursor_get(raw, &k, &v, MDB_NEXT);
  }
  if (rc != MDB_NOTFOUND) check(rc, "scan");
}

bool Txn::hasPrefix(Dbi dbi, std::string_view prefix) const {
  bool found = false;
  scan(dbi, prefix, [&](std::string_view, std::string_view) {
    found = true;
    return false;  // one is enough
  });
  return found;
}

void WriteTxn::put(Dbi dbi, std::string_view key, std::string_view value) {
  MDB_val k = toVal(key), v = toVal(value);
  check(mdb_put(txn_, dbi.handle, &k, &v, 0), "write");
}

bool WriteTxn::del(Dbi dbi, std::string_view key) {
  MDB_val k = toVal(key);
  int rc = mdb_del(txn_, dbi.handle, &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  check(rc, "delete");
  return true;
}

void WriteTxn::commit() {
  // mdb_txn_commit frees the transaction even when it fails.
  MDB_txn* txn = txn_;
  txn_ = nullptr;
  check(mdb_txn_commit(txn), "commit");
}

}  // namespace tenon::metadata::lmdb
