// Garbage collection: mark what each namespace can reach (gc_marker), then
// sweep the rest — expired leases, unreachable content records, and blobs no
// namespace records any more. It runs on demand, soon after deletions, and on
// a timer, one run at a time. It deletes nothing while the metadata store is
// damaged or disagrees with the content store (a record naming a blob the
// store lacks), and one item that cannot be removed is reported while the
// sweep goes on.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <utility>
#include <string>
#include <thread>
#include <vector>

#include "content/content_store.hpp"
#include "log/logger.hpp"
#include "metadata/metadata_store.hpp"

namespace tenon::gc {

struct GcReport {
  bool dryRun = false;
  std::vector<std::string> removed;  // "lease <ns>/<id>", "content <ns> <digest>", "blob <digest>"
  std::vector<std::string> errors;   // what could not be removed, or why nothing was
};

class GarbageCollector {
 public:
  // `content` may be null (no content plugin): then only metadata is swept.
  // A zero `interval` disables the timer.
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
  // Removes expired leases and unreachable content records; returns the records.
  Records sweepMetadata(GcReport& report, bool dryRun);
  // Removes blobs no namespace records, apart from `goneRecords`.
  void sweepBlobs(GcReport& report, bool dryRun, const Records& goneRecords);
  // Records whose blob the store lacks; non-empty means "delete nothing".
  std::vector<std::string> disagreements() const;
  void background();

  metadata::MetadataStore& metadata_;
  content::ContentStore* content_;
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
