// The content store as clients see it: blobs from the content plugin, stored
// once by digest, seen by a namespace only once it holds a record of them.
// Ingest refs are namespaced ("<ns>/<ref>" in the plugin), so that two
// namespaces may use the same ref.
#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <vector>

#include "content/content_table.hpp"
#include "filters/filter.hpp"
#include "metadata/content_records.hpp"
#include "metadata/metadata_store.hpp"

namespace tenon::content {

struct OpenedIngest {
  std::optional<ContentWriter> writer;  // none when the blob existed already:
  std::optional<metadata::ContentRecord> existing;  // then it is recorded here, no bytes needed
  IngestStatus status;                  // ref as the client named it
};

class ContentStore {
 public:
  ContentStore(ContentTable blobs, metadata::MetadataStore& metadata) : blobs_(blobs), metadata_(metadata) {}

  metadata::ContentRecord info(const std::string& ns, const std::string& digest) const;
  std::vector<metadata::ContentRecord> list(const std::string& ns, const filters::Filter& filter) const;
  metadata::ContentRecord setLabels(const std::string& ns, const std::string& digest, const metadata::Labels& labels);
  // Drops the namespace's record; the garbage collector reclaims the bytes
  // once nothing refers to them.
  void remove(const std::string& ns, const std::string& digest);
  // Reads blob bytes the namespace holds; the count, 0 at the end.
  size_t readAt(const std::string& ns, const std::string& digest, int64_t offset, std::span<uint8_t> buf) const;

  // Opens or resumes ingest `ref`. With an expected digest the store already
  // has, records it in the namespace at once (held by `lease`, if not empty)
  // and opens no writer.
  OpenedIngest openIngest(const std::string& ns, const std::string& ref, int64_t total,
                          const std::string& expectedDigest, const std::string& lease = "");
  // Verifies and commits what `writer` wrote, and records it in the namespace,
  // held by `lease` if not empty.
  metadata::ContentRecord commit(const std::string& ns, ContentWriter& writer, int64_t size,
                                 const std::string& digest, const metadata::Labels& labels,
                                 const std::string& lease = "");
  // Writes ingest bytes; errors name the client's ref.
  void write(const std::string& ns, ContentWriter& writer, int64_t offset, std::span<const uint8_t> bytes);
  std::vector<IngestStatus> ingests(const std::string& ns) const;
  void abort(const std::string& ns, const std::string& ref);

  const ContentTable& blobs() const { return blobs_; }
  // Held shared while a blob is committed and recorded; the garbage collector
  // takes it exclusively, so it never sees a blob between the two steps.
  std::shared_mutex& gcLock() { return gcLock_; }

 private:
  static std::string pluginRef(const std::string& ns, const std::string& ref);
  // Runs `fn`; the plugin's errors name refs as "<ns>/<ref>", clients know them as "<ref>".
  template <class F>
  static auto inClientTerms(const std::string& ns, F&& fn) -> decltype(fn());
  // Adds the record (and its lease resource) in one transaction.
  metadata::ContentRecord record(const std::string& ns, const std::string& digest, int64_t size,
                                 const metadata::Labels& labels, const std::string& lease);
  void checkLease(const std::string& ns, const std::string& lease) const;

  ContentTable blobs_;
  metadata::MetadataStore& metadata_;
  std::shared_mutex gcLock_;
};

// The record fields filters can name: digest, size, labels.<key>.
filters::FieldLookup contentFields(const metadata::ContentRecord& record);

}  // namespace tenon::content
