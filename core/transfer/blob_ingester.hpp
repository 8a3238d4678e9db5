// Stores an import's blobs in the content store, each recorded in the
// namespace and held by the import's lease until the image records exist.
// Bytes are streamed from the archive, never held whole; the store verifies
// each blob against its digest before it becomes visible.
#pragma once

#include <cstdint>
#include <string>

#include "content/content_store.hpp"
#include "transfer/archive_reader.hpp"
#include "transfer/progress_channel.hpp"

namespace tenon::transfer {

// An archive file as stored.
struct StoredFile {
  std::string digest;
  std::int64_t size = 0;
  bool gzip = false;  // starts with gzip's magic number (a compressed layer)
};

class BlobIngester {
 public:
  BlobIngester(content::ContentStore& store, std::string ns, std::string lease, ProgressChannel& progress)
      : store_(store), ns_(std::move(ns)), lease_(std::move(lease)), progress_(progress) {}

  // Streams the current file of `reader` into the store. With an
  // `expectedDigest` (blobs/sha256/<hex>) the store checks the bytes against
  // it and a mismatch fails the import, naming the entry; without one the
  // digest is computed on the way (a docker-archive's files).
  StoredFile store(ArchiveReader& reader, const ArchiveEntry& entry, const std::string& expectedDigest);
  // Stores a document tenon made (a manifest for a docker-archive image); its digest.
  std::string storeBytes(const std::string& bytes, const std::string& what);

 private:
  // Reads the current file, which the store has already, checking it is `digest`.
  void verifyExisting(ArchiveReader& reader, const ArchiveEntry& entry, const std::string& digest);
  // A ref only this import uses, for when the shared one is busy or there is no digest.
  std::string privateRef();

  content::ContentStore& store_;
  std::string ns_;
  std::string lease_;
  ProgressChannel& progress_;
  int refs_ = 0;
};

}  // namespace tenon::transfer
