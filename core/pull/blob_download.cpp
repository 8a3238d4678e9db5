#include "pull/blob_download.hpp"

#include <chrono>
#include <utility>
#include <tenon/error.hpp>

namespace tenon::pull {

namespace {

constexpr auto kProgressEvery = std::chrono::milliseconds(100);

class Download;
thread_local Download* current = nullptr;  // the download running on this thread

class Download {
 public:
  Download(const BlobDownloads& pull, const BlobJob& job)
      : pull_(pull), job_(job), ref_(job.role + "-" + job.blob.digest), outer_(std::exchange(current, this)) {}
  ~Download() { current = outer_; }
  Download(const Download&) = delete;
  Download& operator=(const Download&) = delete;

  void note(const std::string& message) { report(offset_, false, message); }

  void run(const BlobFetch& fetch, std::stop_token stop) {
    unpack::KeyedLocks::Held held = pull_.locks.acquire(job_.blob.digest, stop);
    content::OpenedIngest opened = open();
    if (!opened.writer) {
      report(job_.blob.size, true, "exists");
      if (pull_.taps) pull_.taps->stored(job_.blob.digest);
      return;
    }
    offset_ = opened.status.offset;
    if (offset_ < 0 || offset_ > job_.blob.size) offset_ = 0;  // not ours to resume: written over from 0
    if (pull_.taps) pull_.taps->opened(job_.blob.digest, offset_);
    report(offset_, false, offset_ > 0 ? "resuming at " + std::to_string(offset_) + " bytes" : "");
    write(*opened.writer, fetch, stop);
    commit(*opened.writer);
    report(job_.blob.size, true, "");
    if (pull_.taps) pull_.taps->stored(job_.blob.digest);
  }

 private:
  content::OpenedIngest open() {
    try {
      return pull_.content.openIngest(pull_.ns, ref_, job_.blob.size, job_.blob.digest, pull_.lease);
    } catch (const Error& e) {
      // The store has the digest with another size: the descriptor lies.
      if (e.code() != TENON_FAILED_PRECONDITION) throw;
      fail(TENON_INVALID_ARGUMENT, what() + ": " + e.what());
    }
  }

  void write(content::ContentWriter& writer, const BlobFetch& fetch, std::stop_token stop) {
    bool first = true;
    std::shared_ptr<transfer::BytePipe> tap;
    auto begin = [&] {
      if (first && pull_.taps) tap = pull_.taps->writing(job_.blob.digest);
      first = false;
    };
    auto reported = std::chrono::steady_clock::now();
    auto sink = [&](std::span<const std::uint8_t> chunk) {
      begin();
      pull_.content.write(pull_.ns, writer, offset_, chunk);
      offset_ += static_cast<std::int64_t>(chunk.size());
      if (tap) {
        try {
          tap->write(chunk.data(), chunk.size());
        } catch (const Error&) {
          tap.reset();  // the unpack stopped reading (and fails the pull): the store still gets the blob
        }
      }
      if (auto now = std::chrono::steady_clock::now(); now - reported >= kProgressEvery) {
        reported = now;
        report(offset_, false, "");
      }
    };
    try {
      fetch(job_.blob, offset_, sink, stop);
    } catch (const Error& e) {
      if (e.code() == TENON_CANCELLED) throw;
      fail(e.code(), what() + ": " + e.what());
    }
    begin();  // an empty blob
    if (tap) tap->close();
  }

  void commit(content::ContentWriter& writer) {
    try {
      pull_.content.commit(pull_.ns, writer, job_.blob.size, job_.blob.digest, {}, pull_.lease);
    } catch (const Error& e) {
      // A failed commit discards the ingest already; an abort makes sure the next pull starts clean.
      writer.close();
      try {
        pull_.content.abort(pull_.ns, ref_);
      } catch (const Error&) {
        // Gone already.
      }
      fail(e.code() == TENON_FAILED_PRECONDITION ? TENON_INVALID_ARGUMENT : e.code(), what() + ": " + e.what());
    }
  }

  std::string what() const { return job_.role + " " + job_.blob.digest; }

  void report(std::int64_t bytes, bool done, std::string message) const {
    if (pull_.report)
      pull_.report({"blob", job_.role, job_.blob.digest, bytes, job_.blob.size, done, std::move(message)});
  }

  const BlobDownloads& pull_;
  const BlobJob& job_;
  std::string ref_;
  Download* outer_;
  std::int64_t offset_ = 0;  // written to the ingest so far
};

}  // namespace

bool noteOnThisThread(const std::string& message) {
  if (current == nullptr) return false;
  current->note(message);
  return true;
}

void downloadBlob(const BlobDownloads& pull, const BlobJob& job, const BlobFetch& fetch, std::stop_token stop) {
  try {
    Download(pull, job).run(fetch, std::move(stop));
  } catch (const Error& e) {
    if (pull.taps) pull.taps->failed(job.blob.digest, e.code(), e.what());
    throw;
  } catch (const std::exception& e) {
    if (pull.taps) pull.taps->failed(job.blob.digest, TENON_INTERNAL, e.what());
    throw;
  }
}

}  // namespace tenon::pull
