// A content-addressed blob store on local disk:
//   <root>/blobs/sha256/<hex>   committed blobs, read-only (0444), never rewritten
//   <root>/ingest/<sha256(ref)> ingests in progress (see ingest_dir.hpp)
// A blob becomes visible only by an atomic rename, after its size and digest
// were verified, so a reader never sees a partial or wrong blob. Safe to use
// from many threads and, through file locks, from many processes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ingest_writer.hpp"

namespace tenon::content_local {

struct BlobInfo {
  std::string digest;
  int64_t size = 0;
  int64_t created = 0;  // when it was committed
  int64_t updated = 0;  // the same: a blob never changes
};

class ContentStore {
 public:
  // Creates the folders under `root` and removes temporaries a crash left
  // (ingests stay: they are resumable).
  ContentStore(const std::filesystem::path& root, Warn warn);

  // The blob `digest`; not_found if absent.
  BlobInfo info(std::string_view digest) const;
  // Reads up to `len` bytes of blob `digest` at `offset`; 0 at the end.
  size_t readAt(std::string_view digest, int64_t offset, void* buf, size_t len) const;
  // Calls `visit` for each blob until it returns false.
  void walk(const std::function<bool(const BlobInfo&)>& visit) const;
  // Deletes blob `digest`; not_found if absent.
  void remove(std::string_view digest);

  // Opens or resumes the ingest `ref`; unavailable while another writer holds it.
  std::unique_ptr<IngestWriter> openWriter(std::string_view ref, int64_t total, std::string_view expectedDigest);
  // Discards the ingest `ref`; not_found if absent, unavailable while a writer holds it.
  void abort(std::string_view ref);
  // Calls `visit` for each ingest until it returns false.
  void listIngests(const std::function<bool(const IngestStatus&)>& visit) const;

 private:
  std::filesystem::path blobPath(std::string_view digest) const;
  std::unique_ptr<IngestWriter> resume(std::filesystem::path dir, UniqueFd lock, std::string_view ref,
                                       int64_t total, std::string_view expectedDigest);
  void removeCrashLeftovers();

  StoreLayout layout_;
  Warn warn_;
};

}  // namespace tenon::content_local
