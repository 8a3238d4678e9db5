// The core's C++ view of a content service (a tenon_content_service table
// and its self, as a plugin registered them): values instead of sinks,
// tenon::Error (carrying the plugin's code and message) instead of statuses,
// and an RAII writer. A NULL function in the table is not_implemented. The
// view borrows the table: it must not outlive the plugin's fini.
#pragma once

#include <tenon/content.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <tenon/plugin.hpp>
#include <vector>

namespace tenon::content {

// One committed blob.
struct ContentInfo {
  std::string digest;
  int64_t size = 0;
  tenon_time created = 0;
  tenon_time updated = 0;
};

// The progress of one ingest.
struct IngestStatus {
  std::string ref;
  int64_t offset = 0;  // bytes written, contiguous from 0
  int64_t total = -1;  // expected size, -1 when unknown
  std::string expectedDigest;  // "" when unknown
  tenon_time started = 0;
  tenon_time updated = 0;
};

// An open ingest; only one may exist per ref. Closed by its destructor, which
// leaves an uncommitted ingest resumable.
class ContentWriter {
 public:
  ContentWriter(ServiceRef<tenon_content_service> service, tenon_content_writer* writer)
      : service_(service), writer_(writer) {}
  ContentWriter(ContentWriter&& other) noexcept;
  ContentWriter& operator=(ContentWriter&& other) noexcept;
  ContentWriter(const ContentWriter&) = delete;
  ContentWriter& operator=(const ContentWriter&) = delete;
  ~ContentWriter();

  // Writes `bytes` at `offset`: at the current offset it appends, before it
  // the ingest is cut back to `offset` first; past it is invalid_argument.
  void write(int64_t offset, std::span<const uint8_t> bytes);
  IngestStatus status() const;
  // Verifies `size` and `digest` and publishes the blob: true when this call
  // committed it, false when the blob existed already (the ingest is then
  // dropped). A mismatch throws failed_precondition and discards the ingest.
  bool commit(int64_t size, const std::string& digest);
  // Closes now rather than at destruction; idempotent.
  void close();

 private:
  ServiceRef<tenon_content_service> service_;
  tenon_content_writer* writer_;
};

class ContentTable {
 public:
  explicit ContentTable(ServiceRef<tenon_content_service> service) : service_(service) {}

  // The blob `digest`; not_found if absent.
  ContentInfo info(const std::string& digest) const;
  // Reads into `buf` from `offset` of blob `digest`; the count, 0 at the end.
  size_t readAt(const std::string& digest, int64_t offset, std::span<uint8_t> buf) const;
  // Calls `visit` for each blob; what `visit` throws stops the walk and is rethrown.
  void walk(const std::function<void(const ContentInfo&)>& visit) const;
  // Deletes blob `digest`; not_found if absent.
  void remove(const std::string& digest) const;
  // Every ingest in progress.
  std::vector<IngestStatus> ingests() const;
  // Discards the ingest `ref`; not_found if absent, unavailable while written.
  void abort(const std::string& ref) const;
  // Opens or resumes the ingest `ref` (`total` -1 and `expectedDigest` "" when
  // unknown); unavailable while another writer holds it.
  ContentWriter openWriter(const std::string& ref, int64_t total = -1, const std::string& expectedDigest = "") const;

 private:
  ServiceRef<tenon_content_service> service_;
};

}  // namespace tenon::content
