#include "metadata/metadata_store.hpp"

#include <nlohmann/json.hpp>
#include <system_error>

#include "fs/directories.hpp"
#include "metadata/validation.hpp"

namespace tenon::metadata {

namespace {

// The layout of the whole store (which tables, how keys are built). A tenond
// that finds a larger number leaves the store alone rather than misread it.
constexpr int kSchema = 1;
constexpr std::string_view kSchemaKey = "schema";

struct TableName {
  lmdb::Dbi Tables::*table;
  const char* name;
};
// Every table but meta holds JSON values; verify() relies on it.
constexpr TableName kJsonTables[] = {
    {&Tables::namespaces, "namespaces"},
    {&Tables::images, "images"},
    {&Tables::containers, "containers"},
    {&Tables::content, "content"},
    {&Tables::leases, "leases"},
    {&Tables::leaseResources, "lease_resources"},
    {&Tables::snapshots, "snapshots"},
    {&Tables::snapshotChildren, "snapshot_children"},
    {&Tables::snapshotBacking, "snapshot_backing"},
};

// A store written by a newer tenond: not damaged, but not ours to touch.
struct NewerSchema {
  std::string reason;
};

thread_local const MetadataStore* tlWriter = nullptr;

std::string unusable(const std::filesystem::path& file, std::string_view condition, std::string_view advice) {
  return "metadata store " + file.string() + " " + std::string(condition) + "; tenond serves without it" +
         (advice.empty() ? "" : "; " + std::string(advice));
}

void checkSchema(lmdb::WriteTxn& txn, lmdb::Dbi meta) {
  auto stored = txn.get(meta, kSchemaKey);
  if (!stored) return txn.put(meta, kSchemaKey, std::to_string(kSchema));
  int schema = 0;
  try {
    schema = std::stoi(std::string(*stored));
  } catch (const std::exception&) {
    throw lmdb::DamagedError("its schema number " + quote(*stored) + " is unreadable");
  }
  if (schema > kSchema)
    throw NewerSchema{"was written by a newer tenond (schema " + std::to_string(schema) + "; this one reads up to " +
                      std::to_string(kSchema) + ")"};
}

// Reads every page and every record once: LMDB keeps no checksums, so a
// broken page or a value that is not JSON is found here, at start, rather
// than by GC halfway through a sweep.
void verify(const lmdb::Env& env, const Tables& tables) {
  lmdb::ReadTxn txn(env);
  for (const TableName& t : kJsonTables) {
    txn.scan(tables.*t.table, "", [&](std::string_view key, std::string_view value) {
      if (!nlohmann::json::accept(value))
        throw lmdb::DamagedError("the record " + quote(key) + " in " + t.name + " is not JSON");
      return true;
    });
  }
}

}  // namespace

std::unique_ptr<MetadataStore> MetadataStore::open(const std::filesystem::path& dir, const StoreOptions& options) {
  fs::ensureDirectory(dir, 0700);
  std::unique_ptr<MetadataStore> store(new MetadataStore(dir));
  try {
    store->openEnv(options);
  } catch (const lmdb::DamagedError& e) {
    store->damage_ =
        unusable(store->file(), std::string("is damaged: ") + e.what(), "move the file aside to start afresh");
  } catch (const NewerSchema& e) {
    store->damage_ = unusable(store->file(), e.reason, "run that tenond, or move the file aside to start afresh");
  } catch (const Error& e) {
    store->damage_ = unusable(store->file(), std::string("cannot be opened: ") + e.what(), "");
  }
  if (store->damage_) store->env_.reset();
  return store;
}

MetadataStore::~MetadataStore() = default;

void MetadataStore::openEnv(const StoreOptions& options) {
  env_ = std::make_unique<lmdb::Env>(dir_, lmdb::EnvOptions{.mapSize = options.mapSize});
  // LMDB maps the file: a page past its end would be SIGBUS on first read, so
  // a truncated file must be caught before any read.
  std::error_code ec;
  std::uintmax_t size = std::filesystem::file_size(file(), ec);
  if (ec) fail(TENON_INTERNAL, "cannot stat " + file().string() + ": " + ec.message());
  if (size < env_->bytesInUse())
    throw lmdb::DamagedError("the file is truncated: " + std::to_string(size) + " bytes where its pages need " +
                             std::to_string(env_->bytesInUse()));
  lmdb::WriteTxn txn(*env_);
  tables_.meta = env_->openDbi(txn, "meta");
  checkSchema(txn, tables_.meta);
  for (const TableName& t : kJsonTables) tables_.*t.table = env_->openDbi(txn, t.name);
  txn.commit();
  verify(*env_, tables_);
}

std::optional<std::string> MetadataStore::damage() const {
  std::lock_guard lock(damageMutex_);
  return damage_;
}

const lmdb::Env& MetadataStore::usableEnv() const {
  std::lock_guard lock(damageMutex_);
  if (damage_) fail(TENON_UNAVAILABLE, *damage_);
  return *env_;
}

void MetadataStore::failDamaged(const std::string& reason) const {
  std::lock_guard lock(damageMutex_);
  if (!damage_) damage_ = unusable(file(), "is damaged: " + reason, "move the file aside to start afresh");
  fail(TENON_UNAVAILABLE, *damage_);
}

std::int64_t MetadataStore::nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

MetadataStore::WriterScope::WriterScope(const MetadataStore& store) : previous_(tlWriter) {
  if (tlWriter == &store)
    fail(TENON_INTERNAL, "metadata update() called inside another update() on the same thread; it would deadlock");
  tlWriter = &store;
}

MetadataStore::WriterScope::~WriterScope() { tlWriter = previous_; }

}  // namespace tenon::metadata
