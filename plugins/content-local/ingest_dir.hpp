// One ingest on disk: ingest/<sha256 of its ref, hex>/ holding
//   data             the bytes written so far (its size is the ingest's offset)
//   ref              the caller's ref, verbatim
//   total            the expected size, or -1
//   expected_digest  the expected digest, or empty
//   started, updated nanoseconds since the epoch
//   lock             flock()ed by whoever writes the ingest, in any process
// A folder appears whole (built under a temp name, then renamed into place)
// and disappears whole (renamed to a temp name, then removed), always by the
// holder of its lock, so that a folder one can lock is complete.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <tenon/unique_fd.hpp>

namespace tenon::content_local {

inline constexpr const char* kDataFile = "data";
inline constexpr const char* kRefFile = "ref";
inline constexpr const char* kTotalFile = "total";
inline constexpr const char* kExpectedDigestFile = "expected_digest";
inline constexpr const char* kStartedFile = "started";
inline constexpr const char* kUpdatedFile = "updated";
inline constexpr const char* kLockFile = "lock";

// What the small files of an ingest hold.
struct IngestRecord {
  std::string ref;
  int64_t total = -1;
  std::string expectedDigest;  // "" when unknown
  int64_t started = 0;
  int64_t updated = 0;
};

// Refs are 1 to 256 bytes; throws invalid_argument otherwise.
void validateRef(std::string_view ref);

// ingestRoot/<sha256 of ref, hex>.
std::filesystem::path ingestPath(const std::filesystem::path& ingestRoot, std::string_view ref);

// Locks the existing ingest folder `dir` and returns the held lock; an empty
// fd when there is no such folder (or it vanished meanwhile). Throws
// unavailable ("ref X is locked by another writer") when someone holds it.
UniqueFd lockIngest(const std::filesystem::path& dir, std::string_view ref);

// Builds the ingest folder `dir` for `record` (empty data) and returns its
// held lock; an empty fd when a folder of that name appeared meanwhile.
UniqueFd createIngest(const std::filesystem::path& ingestRoot, const std::filesystem::path& dir,
                      const IngestRecord& record);

// Reads the small files of `dir`; nullopt when the folder or its ref file is gone.
std::optional<IngestRecord> readIngestRecord(const std::filesystem::path& dir);

// Replaces one small file of `dir` atomically.
void writeIngestField(const std::filesystem::path& dir, const char* name, const std::string& value);
void writeIngestTime(const std::filesystem::path& dir, const char* name, int64_t nanos);

// Removes the ingest folder `dir`, whose lock the caller holds: it vanishes at once.
void discardIngest(const std::filesystem::path& ingestRoot, const std::filesystem::path& dir);

}  // namespace tenon::content_local
