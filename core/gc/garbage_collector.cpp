#include "gc/garbage_collector.hpp"

#include <set>
#include <tenon/error.hpp>

#include "gc/gc_marker.hpp"
#include "metadata/content_records.hpp"
#include "metadata/leases.hpp"
#include "metadata/namespaces.hpp"

namespace tenon::gc {

namespace {

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A burst of deletions (`ctr content rm a b c`) becomes one run.
constexpr auto kDebounce = std::chrono::milliseconds(200);

}  // namespace

GarbageCollector::GarbageCollector(metadata::MetadataStore& metadata, content::ContentStore* content,
                                   log::Logger& logger, std::chrono::milliseconds interval)
    : metadata_(metadata), content_(content), logger_(logger), interval_(interval) {
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
  // Exclusive against commits, so no blob is seen between its commit and its record.
  std::unique_lock<std::shared_mutex> hold;
  if (content_) hold = std::unique_lock(content_->gcLock());
  if (content_) {
    std::vector<std::string> missing = disagreements();
    if (!missing.empty()) {
      report.errors.push_back("metadata and the content store disagree, so nothing was removed: " +
                              std::to_string(missing.size()) + " record(s) name blobs the store lacks, first " +
                              missing.front());
      return report;
    }
  }
  Records gone = sweepMetadata(report, dryRun);
  if (content_) sweepBlobs(report, dryRun, gone);
  return report;
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

GarbageCollector::Records GarbageCollector::sweepMetadata(GcReport& report, bool dryRun) {
  Records gone;
  auto sweep = [&](const metadata::ReadTx& tx, metadata::WriteTx* write) {
    int64_t now = nowNanos();
    for (const auto& ref : metadata::leases::expired(tx, now)) {
      report.removed.push_back("lease " + ref.ns + "/" + ref.id);
      if (write) metadata::leases::remove(*write, ref.ns, ref.id);
    }
    for (const auto& ns : metadata::namespaces::list(tx)) {
      Reachable reachable = mark(tx, ns.name, now);
      for (const auto& record : metadata::content_records::list(tx, ns.name)) {
        if (reachable.content.count(record.digest)) continue;
        report.removed.push_back("content " + ns.name + " " + record.digest);
        gone.insert({ns.name, record.digest});
        if (write) metadata::content_records::remove(*write, ns.name, record.digest);
      }
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
