#include "gc/garbage_collector.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tenon/error.hpp>

#include "gc/gc_marker.hpp"
#include "metadata/content_records.hpp"
#include "metadata/leases.hpp"
#include "metadata/namespaces.hpp"
#include "metadata/snapshot_records.hpp"

namespace tenon::gc {

namespace {

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A burst of deletions (`ctr content rm a b c`) becomes one run.
constexpr auto kDebounce = std::chrono::milliseconds(200);

// The keys of `records` that `reachable` lacks, children before parents. A
// child reaches its parent, so each child of an unreachable snapshot is
// unreachable too: deepest first puts every one before its parent.
std::vector<std::string> unreachableChildrenFirst(const std::vector<metadata::SnapshotRecord>& records,
                                                  const std::string& snapshotter, const Reachable& reachable) {
  std::map<std::string, std::string> parentOf;
  for (const auto& r : records) parentOf[r.key] = r.parent;
  std::map<std::string, size_t> depth;  // ancestors of a key; each chain walked once
  auto depthOf = [&](const std::string& key) {
    std::vector<std::string> unknown;  // `key` and its ancestors up to one whose depth is known
    std::string at = key;
    while (!at.empty() && !depth.count(at)) {
      unknown.push_back(at);
      auto parent = parentOf.find(at);
      at = parent == parentOf.end() ? "" : parent->second;
    }
    size_t d = at.empty() ? 0 : depth[at] + 1;
    for (auto it = unknown.rbegin(); it != unknown.rend(); ++it) depth[*it] = d++;
    return depth[key];
  };
  std::vector<std::pair<size_t, std::string>> garbage;
  for (const auto& r : records)
    if (!reachable.snapshots.count({snapshotter, r.key})) garbage.emplace_back(depthOf(r.key), r.key);
  std::stable_sort(garbage.begin(), garbage.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> keys;
  for (auto& [d, key] : garbage) keys.push_back(std::move(key));
  return keys;
}

std::string describe(const std::string& ns, const std::string& snapshotter, const std::string& key) {
  return "snapshot " + ns + " " + snapshotter + " " + key;
}

}  // namespace

GarbageCollector::GarbageCollector(metadata::MetadataStore& metadata, content::ContentStore* content,
                                   const Snapshotters& snapshotters, log::Logger& logger,
                                   std::chrono::milliseconds interval)
    : metadata_(metadata), content_(content), snapshotters_(&snapshotters), logger_(logger), interval_(interval) {
  thread_ = std::thread([this] { background(); });
}

GarbageCollector::GarbageCollector(metadata::MetadataStore& metadata, content::ContentStore* content,
                                   log::Logger& logger, std::chrono::milliseconds interval)
    : metadata_(metadata), content_(content), snapshotters_(nullptr), logger_(logger), interval_(interval) {
  thread_ = std::thread([this] { background(); });
}

GarbageCollector::~GarbageCollector() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void GarbageCollector::schedule() {
  {
    std::lock_guard lock(mutex_);
    scheduled_ = true;
  }
  wake_.notify_all();
}

GcReport GarbageCollector::collect(bool dryRun) {
  std::lock_guard run(runMutex_);
  if (auto damage = metadata_.damage())
    fail(TENON_UNAVAILABLE, "garbage collection is off: " + *damage);
  GcReport report;
  report.dryRun = dryRun;
  // Exclusive against commits, so no blob is seen between its commit and its
  // record, and against snapshot creation until the records are swept (see
  // NamespacedSnapshotter::gcLock). Content first, then snapshotters: nothing
  // takes them the other way round.
  std::unique_lock<std::shared_mutex> hold;
  if (content_) hold = std::unique_lock(content_->gcLock());
  std::vector<std::unique_lock<std::shared_mutex>> holdSnapshots = holdSnapshotters();
  if (content_) {
    std::vector<std::string> missing = disagreements();
    if (!missing.empty()) {
      report.errors.push_back("metadata and the content store disagree, so nothing was removed: " +
                              std::to_string(missing.size()) + " record(s) name blobs the store lacks, first " +
                              missing.front());
      return report;
    }
  }
  Garbage gone = sweepMetadata(report, dryRun);
  holdSnapshots.clear();  // a snapshot made now cannot build on a record that went
  sweepSnapshots(report, dryRun, gone.snapshots);
  if (content_) sweepBlobs(report, dryRun, gone.content);
  return report;
}

std::vector<std::unique_lock<std::shared_mutex>> GarbageCollector::holdSnapshotters() const {
  std::vector<std::unique_lock<std::shared_mutex>> held;
  if (snapshotters_)
    for (const auto& [name, snapshotter] : *snapshotters_) held.emplace_back(snapshotter.gcLock());
  return held;
}

std::vector<std::string> GarbageCollector::disagreements() const {
  std::set<std::string> blobs;
  content_->blobs().walk([&](const content::ContentInfo& info) { blobs.insert(info.digest); });
  return metadata_.view([&](const metadata::ReadTx& tx) {
    std::vector<std::string> missing;
    for (const auto& ns : metadata::namespaces::list(tx))
      for (const auto& record : metadata::content_records::list(tx, ns.name))
        if (!blobs.count(record.digest)) missing.push_back(ns.name + " " + record.digest);
    return missing;
  });
}

GarbageCollector::Garbage GarbageCollector::sweepMetadata(GcReport& report, bool dryRun) {
  Garbage gone;
  auto sweep = [&](const metadata::ReadTx& tx, metadata::WriteTx* write) {
    int64_t now = nowNanos();
    for (const auto& ref : metadata::leases::expired(tx, now)) {
      report.removed.push_back("lease " + ref.ns + "/" + ref.id);
      if (write) metadata::leases::remove(*write, ref.ns, ref.id);
    }
    for (const auto& ns : metadata::namespaces::list(tx)) {
      Reachable reachable = mark(tx, ns.name, now);
      sweepContentRecords(tx, write, ns.name, reachable, report, gone.content);
      sweepSnapshotRecords(tx, write, ns.name, reachable, report, gone.snapshots);
    }
  };
  // One transaction: a crash mid-sweep leaves the metadata as before or after.
  if (dryRun) {
    metadata_.view([&](const metadata::ReadTx& tx) { sweep(tx, nullptr); });
  } else {
    metadata_.update([&](metadata::WriteTx& tx) { sweep(tx, &tx); });
  }
  return gone;
}

void GarbageCollector::sweepContentRecords(const metadata::ReadTx& tx, metadata::WriteTx* write,
                                           const std::string& ns, const Reachable& reachable, GcReport& report,
                                           Records& gone) const {
  for (const auto& record : metadata::content_records::list(tx, ns)) {
    if (reachable.content.count(record.digest)) continue;
    report.removed.push_back("content " + ns + " " + record.digest);
    gone.insert({ns, record.digest});
    if (write) metadata::content_records::remove(*write, ns, record.digest);
  }
}

// Only records here: they are reported once their plugin snapshot has gone too.
void GarbageCollector::sweepSnapshotRecords(const metadata::ReadTx& tx, metadata::WriteTx* write,
                                            const std::string& ns, const Reachable& reachable, GcReport& report,
                                            std::vector<SnapshotGone>& gone) const {
  if (!snapshotters_) return;
  for (const auto& [name, snapshotter] : *snapshotters_) {
    auto records = metadata::snapshot_records::list(tx, ns, name);
    for (const std::string& key : unreachableChildrenFirst(records, name, reachable)) {
      SnapshotGone item{ns, name, key, ""};
      if (write) {
        // Record functions check before they write, so the transaction goes on after one refuses.
        try {
          item.backingKey = snapshotter.forget(*write, ns, key);
        } catch (const Error& e) {
          report.errors.push_back(describe(ns, name, key) + ": " + e.what());
          continue;
        }
      }
      gone.push_back(std::move(item));
    }
  }
}

void GarbageCollector::sweepSnapshots(GcReport& report, bool dryRun, const std::vector<SnapshotGone>& gone) const {
  for (const SnapshotGone& s : gone) {
    std::string what = describe(s.ns, s.snapshotter, s.key);
    if (!dryRun) {
      try {
        snapshotters_->at(s.snapshotter).release(s.backingKey);
      } catch (const std::exception& e) {
        // Its record went with the sweep's transaction: recover() removes it at the next start.
        report.errors.push_back(what + ": record removed, but the snapshotter kept it: " + e.what());
        continue;
      }
    }
    report.removed.push_back(what);
  }
}

void GarbageCollector::sweepBlobs(GcReport& report, bool dryRun, const Records& goneRecords) {
  std::vector<std::string> blobs;
  content_->blobs().walk([&](const content::ContentInfo& info) { blobs.push_back(info.digest); });
  for (const std::string& digest : blobs) {
    // In a dry run the records are still there: discount those the sweep would remove.
    bool held = metadata_.view([&](const metadata::ReadTx& tx) {
      for (const std::string& ns : metadata::content_records::namespacesReferencing(tx, digest))
        if (!goneRecords.count({ns, digest})) return true;
      return false;
    });
    if (held) continue;
    if (!dryRun) {
      try {
        content_->blobs().remove(digest);
      } catch (const Error& e) {
        report.errors.push_back("blob " + digest + ": " + e.what());
        continue;
      }
    }
    report.removed.push_back("blob " + digest);
  }
}

void GarbageCollector::background() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    bool timedOut;
    if (interval_.count() > 0) {
      timedOut = !wake_.wait_for(lock, interval_, [this] { return stopping_ || scheduled_; });
    } else {
      wake_.wait(lock, [this] { return stopping_ || scheduled_; });
      timedOut = false;
    }
    if (stopping_) return;
    if (!timedOut) wake_.wait_for(lock, kDebounce, [this] { return stopping_; });
    if (stopping_) return;
    scheduled_ = false;
    lock.unlock();
    try {
      GcReport report = collect(false);
      for (const std::string& line : report.removed) logger_.debug("gc removed", {{"item", line}});
      for (const std::string& line : report.errors) logger_.warn("gc", {{"error", line}});
      if (!report.removed.empty())
        logger_.info("gc done", {{"removed", std::to_string(report.removed.size())}});
    } catch (const std::exception& e) {
      logger_.warn("gc skipped", {{"error", e.what()}});
    }
    lock.lock();
  }
}

}  // namespace tenon::gc
