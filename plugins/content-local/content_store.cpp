#include "content_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <tenon/error.hpp>

#include "digest.hpp"
#include "files.hpp"

namespace tenon::content_local {

namespace stdfs = std::filesystem;

namespace {

// Enough to get past a writer that commits or aborts while we try to lock its
// folder; more than that means the folder is damaged.
constexpr int kOpenAttempts = 16;

std::string quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

[[noreturn]] void failBlobNotFound(std::string_view digest) {
  fail(TENON_NOT_FOUND, "content " + std::string(digest) + " not found");
}

}  // namespace

ContentStore::ContentStore(const stdfs::path& root, Warn warn)
    : layout_{root / "blobs" / std::string(kAlgorithm), root / "ingest"}, warn_(std::move(warn)) {
  ensureDirectory(root / "blobs", 0700);
  ensureDirectory(layout_.blobs, 0700);
  ensureDirectory(layout_.ingest, 0700);
  removeCrashLeftovers();
}

void ContentStore::removeCrashLeftovers() {
  size_t removed = removeTempEntries(layout_.blobs) + removeTempEntries(layout_.ingest);
  std::error_code ec;
  for (const auto& entry : stdfs::directory_iterator(layout_.ingest, ec))
    if (entry.is_directory()) removed += removeTempEntries(entry.path());
  if (ec) failErrno(ec.value(), "cannot list " + layout_.ingest.string());
  if (removed > 0) warn_("removed " + std::to_string(removed) + " temporary files left by a crash");
}

stdfs::path ContentStore::blobPath(std::string_view digest) const {
  return layout_.blobs / std::string(parseDigest(digest));
}

BlobInfo ContentStore::info(std::string_view digest) const {
  stdfs::path path = blobPath(digest);
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) failBlobNotFound(digest);
    failErrno(errno, "cannot stat " + path.string());
  }
  return {std::string(digest), st.st_size, mtimeNanos(st), mtimeNanos(st)};
}

size_t ContentStore::readAt(std::string_view digest, int64_t offset, void* buf, size_t len) const {
  stdfs::path path = blobPath(digest);
  if (offset < 0) fail(TENON_INVALID_ARGUMENT, "read of " + std::string(digest) + " at negative offset");
  UniqueFd fd = openFile(path, O_RDONLY);
  if (!fd) {
    if (errno == ENOENT) failBlobNotFound(digest);
    failErrno(errno, "cannot open " + path.string());
  }
  return readFullyAt(fd.get(), buf, len, offset, path);
}

void ContentStore::walk(const std::function<bool(const BlobInfo&)>& visit) const {
  std::error_code ec;
  for (const auto& entry : stdfs::directory_iterator(layout_.blobs, ec)) {
    std::string hex = entry.path().filename().string();
    if (!isSha256Hex(hex)) continue;
    struct stat st{};
    if (::lstat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;  // removed meanwhile, or not ours
    if (!visit({std::string(kAlgorithm) + ":" + hex, st.st_size, mtimeNanos(st), mtimeNanos(st)})) return;
  }
  if (ec) failErrno(ec.value(), "cannot list " + layout_.blobs.string());
}

void ContentStore::remove(std::string_view digest) {
  stdfs::path path = blobPath(digest);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) failBlobNotFound(digest);
    failErrno(errno, "cannot remove " + path.string());
  }
}

std::unique_ptr<IngestWriter> ContentStore::openWriter(std::string_view ref, int64_t total,
                                                       std::string_view expectedDigest) {
  validateRef(ref);
  if (total < -1) fail(TENON_INVALID_ARGUMENT, "invalid total " + std::to_string(total) + " for ref " + quote(ref));
  if (!expectedDigest.empty()) parseDigest(expectedDigest);
  stdfs::path dir = ingestPath(layout_.ingest, ref);
  for (int attempt = 0; attempt < kOpenAttempts; ++attempt) {
    if (UniqueFd lock = lockIngest(dir, ref)) return resume(dir, std::move(lock), ref, total, expectedDigest);
    int64_t now = nowNanos();
    IngestRecord fresh{std::string(ref), total, std::string(expectedDigest), now, now};
    if (UniqueFd lock = createIngest(layout_.ingest, dir, fresh))
      return std::make_unique<IngestWriter>(layout_, warn_, dir, std::move(lock), std::move(fresh));
  }
  fail(TENON_FAILED_PRECONDITION,
       "ingest folder " + dir.string() + " of ref " + quote(ref) + " cannot be locked: it is damaged");
}

std::unique_ptr<IngestWriter> ContentStore::resume(stdfs::path dir, UniqueFd lock, std::string_view ref,
                                                   int64_t total, std::string_view expectedDigest) {
  std::optional<IngestRecord> record = readIngestRecord(dir);
  if (!record) fail(TENON_FAILED_PRECONDITION, "ingest folder " + dir.string() + " has no ref file: it is damaged");
  if (record->ref != ref)
    fail(TENON_FAILED_PRECONDITION, "ingest folder " + dir.string() + " holds ref " + quote(record->ref) +
                                        ", not " + quote(ref));
  // Hints given again must agree with the ones recorded; new ones are kept.
  if (total >= 0 && record->total >= 0 && total != record->total)
    fail(TENON_FAILED_PRECONDITION, "ingest " + quote(ref) + " was started with total " +
                                        std::to_string(record->total) + ", not " + std::to_string(total));
  if (!expectedDigest.empty() && !record->expectedDigest.empty() && expectedDigest != record->expectedDigest)
    fail(TENON_FAILED_PRECONDITION, "ingest " + quote(ref) + " was started expecting " + record->expectedDigest +
                                        ", not " + std::string(expectedDigest));
  if (total >= 0 && record->total < 0) {
    record->total = total;
    writeIngestField(dir, kTotalFile, std::to_string(total));
  }
  if (!expectedDigest.empty() && record->expectedDigest.empty()) {
    record->expectedDigest = expectedDigest;
    writeIngestField(dir, kExpectedDigestFile, record->expectedDigest);
  }
  return std::make_unique<IngestWriter>(layout_, warn_, std::move(dir), std::move(lock), std::move(*record));
}

void ContentStore::abort(std::string_view ref) {
  validateRef(ref);
  stdfs::path dir = ingestPath(layout_.ingest, ref);
  UniqueFd lock = lockIngest(dir, ref);
  if (!lock) fail(TENON_NOT_FOUND, "no ingest with ref " + quote(ref));
  discardIngest(layout_.ingest, dir);
}

void ContentStore::listIngests(const std::function<bool(const IngestStatus&)>& visit) const {
  std::error_code ec;
  for (const auto& entry : stdfs::directory_iterator(layout_.ingest, ec)) {
    if (!isSha256Hex(entry.path().filename().string())) continue;
    std::optional<IngestRecord> record = readIngestRecord(entry.path());
    struct stat st{};
    if (!record || ::stat((entry.path() / kDataFile).c_str(), &st) != 0) continue;  // committed or aborted meanwhile
    // A writer records `updated` when it closes; its data's mtime is fresher while it writes.
    int64_t updated = std::max(record->updated, mtimeNanos(st));
    IngestStatus status{std::move(record->ref), st.st_size, record->total, std::move(record->expectedDigest),
                        record->started, updated};
    if (!visit(status)) return;
  }
  if (ec) failErrno(ec.value(), "cannot list " + layout_.ingest.string());
}

}  // namespace tenon::content_local
