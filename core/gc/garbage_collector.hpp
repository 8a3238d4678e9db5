// Garbage collection: mark what each namespace can reach (gc_marker), then
// sweep the rest — expired leases, unreachable content records and snapshots,
// and blobs no namespace records any more. It runs on demand, soon after
// deletions, and on a timer, one run at a time. It deletes nothing while the
// metadata store is damaged or disagrees with the content store (a record
// naming a blob the store lacks), and one item that cannot be removed is
// reported while the sweep goes on.
//
// Records go in one transaction, the one that marked them unreachable, so
// that nothing that became reachable meanwhile is lost; what the plugins
// hold for them (blobs, snapshots) goes after it commits. A crash in between
// leaves plugin data no record names: blobs are found by the next run,
// snapshots by NamespacedSnapshotter::recover() at the next start.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "content/content_store.hpp"
#include "gc/gc_marker.hpp"
#include "log/logger.hpp"
#include "metadata/metadata_store.hpp"
#include "snapshots/namespaced_snapshotter.hpp"

namespace tenon::gc {

struct GcReport {
  bool dryRun = false;
  // "lease <ns>/<id>", "content <ns> <digest>", "snapshot <ns> <snapshotter> <key>", "blob <digest>"
  std::vector<std::string> removed;
  std::vector<std::string> errors;  // what could not be removed, or why nothing was
};

// The daemon's snapshotters by name, as main opens them.
using Snapshotters = std::map<std::string, snapshots::NamespacedSnapshotter>;

class GarbageCollector {
 public:
  // `content` may be null (no content plugin): then no content is swept.
  // `snapshotters` is borrowed; the snapshots of each are swept, those of a
  // snapshotter not in it (its plugin did not load) are left alone.
  // A zero `interval` disables the timer.
  GarbageCollector(metadata::MetadataStore& metadata, content::ContentStore* content, const Snapshotters& snapshotters,
                   log::Logger& logger, std::chrono::milliseconds interval);
  // Without snapshotters: snapshots are left alone.
  GarbageCollector(metadata::MetadataStore& metadata, content::ContentStore* content, log::Logger& logger,
                   std::chrono::milliseconds interval);
  ~GarbageCollector();  // stops the background thread; a run in progress finishes first
  GarbageCollector(const GarbageCollector&) = delete;
  GarbageCollector& operator=(const GarbageCollector&) = delete;

  // Collects now, on the calling thread; with `dryRun` reports what would go.
  // Throws unavailable while the metadata store is damaged.
  GcReport collect(bool dryRun);
  // Asks for a run soon on the background thread (after a deletion).
  void schedule();

 private:
  using Records = std::set<std::pair<std::string, std::string>>;  // (namespace, digest)
  // A snapshot whose record the sweep removed (or, in a dry run, would remove).
  struct SnapshotGone {
    std::string ns, snapshotter, key;
    std::string backingKey;  // what to remove from the plugin; "" in a dry run
  };
  struct Garbage {
    Records content;
    std::vector<SnapshotGone> snapshots;  // children before parents
  };

  // Removes expired leases and unreachable content and snapshot records; returns them.
  Garbage sweepMetadata(GcReport& report, bool dryRun);
  // In `tx`, removes (with `write`) the records of `ns` that `reachable` lacks.
  void sweepContentRecords(const metadata::ReadTx& tx, metadata::WriteTx* write, const std::string& ns,
                           const Reachable& reachable, GcReport& report, Records& gone) const;
  void sweepSnapshotRecords(const metadata::ReadTx& tx, metadata::WriteTx* write, const std::string& ns,
                            const Reachable& reachable, GcReport& report, std::vector<SnapshotGone>& gone) const;
  // Removes from their plugins the snapshots whose records went.
  void sweepSnapshots(GcReport& report, bool dryRun, const std::vector<SnapshotGone>& gone) const;
  // Removes blobs no namespace records, apart from `goneRecords`.
  void sweepBlobs(GcReport& report, bool dryRun, const Records& goneRecords);
  // Records whose blob the store lacks; non-empty means "delete nothing".
  std::vector<std::string> disagreements() const;
  // Every snapshotter's gcLock, exclusively, in name order.
  std::vector<std::unique_lock<std::shared_mutex>> holdSnapshotters() const;
  void background();

  metadata::MetadataStore& metadata_;
  content::ContentStore* content_;
  const Snapshotters* snapshotters_;  // null: none
  log::Logger& logger_;
  std::chrono::milliseconds interval_;
  std::mutex runMutex_;  // one run at a time

  std::mutex mutex_;
  std::condition_variable wake_;
  bool scheduled_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tenon::gc
