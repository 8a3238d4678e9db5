// An open ingest: the one writer of a ref, holding its lock for as long as it
// lives. Bytes are hashed as they are appended, so that a sequential ingest
// reads nothing back; only bytes the hasher has not seen (those of a resumed
// ingest, or the prefix kept by a truncating write) are read back, once, at
// the next append or at commit.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <tenon/unique_fd.hpp>

#include "digest.hpp"
#include "ingest_dir.hpp"

namespace tenon::content_local {

// Where an ingest lives and where its blob goes; shared by the store's writers.
struct StoreLayout {
  std::filesystem::path blobs;   // root/blobs/sha256
  std::filesystem::path ingest;  // root/ingest
};

// A warning the store wants logged (the plugin routes it to the host).
using Warn = std::function<void(const std::string&)>;

// What writer_status and list_ingests report.
struct IngestStatus {
  std::string ref;
  int64_t offset = 0;
  int64_t total = -1;
  std::string expectedDigest;
  int64_t started = 0;
  int64_t updated = 0;
};

class IngestWriter {
 public:
  enum class CommitResult { committed, alreadyExists };

  // Takes over the ingest folder `dir`, whose `lock` the caller holds, with
  // its `record`; the offset is the size of its data.
  IngestWriter(const StoreLayout& layout, Warn warn, std::filesystem::path dir, UniqueFd lock,
               IngestRecord record);
  IngestWriter(const IngestWriter&) = delete;
  IngestWriter& operator=(const IngestWriter&) = delete;

  // Records when an ingest left for later was last updated; the destructor
  // then releases the lock.
  void close();

  // Writes `len` bytes at `offset`: at the current offset it appends; before
  // it, the ingest is first cut back to `offset`; past it is invalid_argument.
  void write(int64_t offset, const void* data, size_t len);
  IngestStatus status() const;
  // Verifies `size` and `digest` and publishes the blob. A mismatch is
  // failed_precondition and discards the ingest; a blob already present
  // discards it too and reports alreadyExists. Commit digest or size that
  // contradict the hints given at open are invalid_argument, and change nothing.
  CommitResult commit(int64_t size, std::string_view digest);

 private:
  void requireActive() const;
  void truncate(int64_t offset);
  void catchUpHash();
  void startWriteback();
  void discard();
  void discardQuietly();
  CommitResult publish(std::string_view hex, std::string_view digest);

  const StoreLayout& layout_;
  Warn warn_;
  std::filesystem::path dir_;
  std::filesystem::path dataPath_;
  UniqueFd lock_;
  UniqueFd data_;
  IngestRecord record_;
  int64_t offset_ = 0;      // size of data
  int64_t hashedUpTo_ = 0;  // the hasher has seen data[0, hashedUpTo_)
  int64_t writebackFrom_ = 0;  // disk writes were started for data[0, writebackFrom_)
  static constexpr int64_t kWritebackChunk = 8 << 20;
  Sha256Hasher hasher_;
  enum class State { active, committed, discarded } state_ = State::active;
  mutable std::mutex mutex_;
};

}  // namespace tenon::content_local
