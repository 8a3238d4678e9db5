#include "lmdb_env.hpp"

#include <string>
#include <tenon/error.hpp>

namespace tenon::snapshot_storage {

namespace {

MDB_val val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }

std::string_view view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

// Snapshot records are small; a gigabyte of address space (not disk) is plenty.
constexpr size_t kMapSize = size_t{1} << 30;
// One slot per concurrent read transaction; the core's pool may run many calls at once.
constexpr unsigned kMaxReaders = 256;

}  // namespace

void checkLmdb(int rc, std::string_view what) {
  if (rc == MDB_SUCCESS) return;
  tenon_status code = rc == MDB_MAP_FULL ? TENON_RESOURCE_EXHAUSTED : TENON_INTERNAL;
  fail(code, "snapshot metadata: " + std::string(what) + ": " + mdb_strerror(rc));
}

LmdbEnv::LmdbEnv(const std::filesystem::path& dir, unsigned maxDbs) {
  checkLmdb(mdb_env_create(&env_), "create environment");
  try {
    checkLmdb(mdb_env_set_mapsize(env_, kMapSize), "set map size");
    checkLmdb(mdb_env_set_maxdbs(env_, maxDbs), "set max dbs");
    checkLmdb(mdb_env_set_maxreaders(env_, kMaxReaders), "set max readers");
    checkLmdb(mdb_env_open(env_, dir.c_str(), MDB_NOTLS, 0600), "open " + dir.string());
    // Reader slots of a crashed process would otherwise pin old pages forever.
    int dead = 0;
    checkLmdb(mdb_reader_check(env_, &dead), "check readers");
  } catch (...) {
    mdb_env_close(env_);
    throw;
  }
}

LmdbEnv::~LmdbEnv() { mdb_env_close(env_); }

LmdbTxn::LmdbTxn(const LmdbEnv& env, Mode mode) {
  checkLmdb(mdb_txn_begin(env.raw(), nullptr, mode == Mode::read ? MDB_RDONLY : 0, &txn_), "begin transaction");
}

LmdbTxn::~LmdbTxn() {
  if (txn_) mdb_txn_abort(txn_);
}

MDB_dbi LmdbTxn::openDbi(const char* name) {
  MDB_dbi dbi = 0;
  checkLmdb(mdb_dbi_open(txn_, name, MDB_CREATE, &dbi), std::string("open database ") + name);
  return dbi;
}

std::optional<std::string_view> LmdbTxn::get(MDB_dbi dbi, std::string_view key) const {
  MDB_val k = val(key), v{};
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return std::nullopt;
  checkLmdb(rc, "get");
  return view(v);
}

void LmdbTxn::put(MDB_dbi dbi, std::string_view key, std::string_view value) {
  MDB_val k = val(key), v = val(value);
  checkLmdb(mdb_put(txn_, dbi, &k, &v, 0), "put");
}

bool LmdbTxn::del(MDB_dbi dbi, std::string_view key) {
  MDB_val k = val(key);
  int rc = mdb_del(txn_, dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  checkLmdb(rc, "delete");
  return true;
}

void LmdbTxn::scan(MDB_dbi dbi, std::string_view prefix,
                   const std::function<bool(std::string_view, std::string_view)>& fn) const {
  MDB_cursor* cursor = nullptr;
  checkLmdb(mdb_cursor_open(txn_, dbi, &cursor), "open cursor");
  struct Close {
    MDB_cursor* c;
    ~Close() { mdb_cursor_close(c); }
  } close{cursor};
  MDB_val k = val(prefix), v{};
  int rc = mdb_cursor_get(cursor, &k, &v, prefix.empty() ? MDB_FIRST : MDB_SET_RANGE);
  while (rc == MDB_SUCCESS && view(k).starts_with(prefix)) {
    if (!fn(view(k), view(v))) return;
    rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
  }
  if (rc != MDB_NOTFOUND && rc != MDB_SUCCESS) checkLmdb(rc, "scan");
}

void LmdbTxn::commit() {
  int rc = mdb_txn_commit(txn_);
  txn_ = nullptr;  // committed or not, LMDB has freed it
  checkLmdb(rc, "commit");
}

}  // namespace tenon::snapshot_storage
