// The daemon's one metadata store: every namespaced record (namespaces,
// images, containers, content records, leases, snapshot keys) in one LMDB
// file under the root, so that all writes of one operation commit together.
//
// A store that cannot be read is not fatal: open() returns it "damaged", every
// transaction on it fails with unavailable and its message, and the daemon
// keeps serving what does not need it (and says so) instead of refusing to start.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "metadata/lmdb.hpp"
#include "metadata/transaction.hpp"

namespace tenon::metadata {

struct StoreOptions {
  // Address space reserved for the file (sparse); writes past it are resource_exhausted.
  std::size_t mapSize = std::size_t{16} << 30;
};

class MetadataStore {
 public:
  // Opens or creates `<dir>/data.mdb` (dir created 0700). Throws only when
  // `dir` cannot be made a directory; whatever is wrong with the file itself
  // (damaged, truncated, newer schema, unreadable) is reported by damage().
  // One store per directory per process: LMDB's locks break if a process opens a file twice.
  static std::unique_ptr<MetadataStore> open(const std::filesystem::path& dir, const StoreOptions& options = {});
  ~MetadataStore();
  MetadataStore(const MetadataStore&) = delete;
  MetadataStore& operator=(const MetadataStore&) = delete;

  // Why the store cannot be used, or nothing while it can. Set at open, or
  // later when LMDB finds a broken page.
  std::optional<std::string> damage() const;
  std::filesystem::path file() const { return dir_ / "data.mdb"; }

  // Runs fn(const ReadTx&) on one consistent snapshot and returns its result.
  // Readers never wait for the writer; any thread may call this.
  template <class F>
  auto view(F&& fn) const {
    try {
      lmdb::ReadTxn txn(usableEnv());
      const ReadTx tx(txn, tables_);
      return std::forward<F>(fn)(tx);
    } catch (const lmdb::DamagedError& e) {
      failDamaged(e.what());
    }
  }

  // Runs fn(WriteTx&) in one write transaction and commits once fn returns:
  // everything fn wrote lands, or (fn threw, the commit failed) nothing does.
  // Writers take turns. The transaction is bound to the calling thread: fn
  // must not hand it to another one nor call update() again (refused).
  template <class F>
  auto update(F&& fn) {
    WriterScope scope(*this);
    try {
      lmdb::WriteTxn txn(usableEnv());
      WriteTx tx(txn, tables_, nowNanos());
      if constexpr (std::is_void_v<std::invoke_result_t<F, WriteTx&>>) {
        std::forward<F>(fn)(tx);
        txn.commit();
      } else {
        auto result = std::forward<F>(fn)(tx);
        txn.commit();
        return result;
      }
    } catch (const lmdb::DamagedError& e) {
      failDamaged(e.what());
    }
  }

 private:
  // Refuses an update() nested in another on the same thread: LMDB's writer
  // lock is not recursive, so it would wait for itself forever.
  class WriterScope {
   public:
    explicit WriterScope(const MetadataStore& store);
    ~WriterScope();

   private:
    const MetadataStore* previous_;
  };

  explicit MetadataStore(std::filesystem::path dir) : dir_(std::move(dir)) {}
  void openEnv(const StoreOptions& options);
  const lmdb::Env& usableEnv() const;
  // Records the damage (first reason wins) and throws unavailable with it.
  [[noreturn]] void failDamaged(const std::string& reason) const;
  static std::int64_t nowNanos();

  std::filesystem::path dir_;
  std::unique_ptr<lmdb::Env> env_;
  Tables tables_;
  mutable std::mutex damageMutex_;
  mutable std::optional<std::string> damage_;
};

}  // namespace tenon::metadata
