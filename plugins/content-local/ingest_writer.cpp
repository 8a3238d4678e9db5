#include "ingest_writer.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <tenon/error.hpp>

#include "files.hpp"

namespace tenon::content_local {

namespace stdfs = std::filesystem;

namespace {

// Big enough that reading back costs syscalls no one notices.
constexpr size_t kRehashChunk = 1 << 20;

std::string quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

}  // namespace

IngestWriter::IngestWriter(const StoreLayout& layout, Warn warn, stdfs::path dir, UniqueFd lock,
                           IngestRecord record)
    : layout_(layout),
      warn_(std::move(warn)),
      dir_(std::move(dir)),
      dataPath_(dir_ / kDataFile),
      lock_(std::move(lock)),
      record_(std::move(record)) {
  data_ = openFile(dataPath_, O_RDWR);
  if (!data_) failErrno(errno, "cannot open " + dataPath_.string());
  struct stat st{};
  if (::fstat(data_.get(), &st) != 0) failErrno(errno, "cannot stat " + dataPath_.string());
  offset_ = st.st_size;
  // A writer that died without closing left `updated` behind its data.
  record_.updated = std::max(record_.updated, mtimeNanos(st));
}

void IngestWriter::close() {
  std::lock_guard guard(mutex_);
  if (state_ != State::active) return;
  try {
    writeIngestTime(dir_, kUpdatedFile, record_.updated);
  } catch (const std::exception& e) {
    // Only a timestamp is lost: list_ingests falls back on the data's mtime.
    warn_(std::string("cannot record when ingest ") + quote(record_.ref) + " was updated: " + e.what());
  }
}

void IngestWriter::requireActive() const {
  if (state_ == State::committed)
    fail(TENON_FAILED_PRECONDITION, "ingest " + quote(record_.ref) + " is already committed");
  if (state_ == State::discarded)
    fail(TENON_FAILED_PRECONDITION, "ingest " + quote(record_.ref) + " was discarded");
}

void IngestWriter::write(int64_t offset, const void* data, size_t len) {
  std::lock_guard guard(mutex_);
  requireActive();
  if (offset < 0) fail(TENON_INVALID_ARGUMENT, "write at negative offset " + std::to_string(offset));
  if (offset > offset_)
    fail(TENON_INVALID_ARGUMENT, "write at offset " + std::to_string(offset) + " is past the end of ingest " +
                                     quote(record_.ref) + ", which has " + std::to_string(offset_) + " bytes");
  if (offset < offset_) truncate(offset);
  if (len == 0) return;
  catchUpHash();
  try {
    writeAllAt(data_.get(), data, len, offset_, dataPath_);
  } catch (...) {
    // Keep the file's size the offset, so that a resume does not see a torn tail.
    if (::ftruncate(data_.get(), offset_) != 0) warn_("cannot cut back " + dataPath_.string());
    throw;
  }
  hasher_.update(data, len);
  offset_ += static_cast<int64_t>(len);
  hashedUpTo_ = offset_;
  record_.updated = nowNanos();
  startWriteback();
}

void IngestWriter::startWriteback() {
  // Commit must fsync the whole blob; starting the disk writes as the bytes
  // arrive (without waiting for them) leaves little for that fsync to do.
  if (offset_ - writebackFrom_ < kWritebackChunk) return;
  ::sync_file_range(data_.get(), writebackFrom_, offset_ - writebackFrom_, SYNC_FILE_RANGE_WRITE);
  writebackFrom_ = offset_;
}

void IngestWriter::truncate(int64_t offset) {
  if (::ftruncate(data_.get(), offset) != 0) failErrno(errno, "cannot truncate " + dataPath_.string());
  offset_ = offset;
  writebackFrom_ = std::min(writebackFrom_, offset);
  record_.updated = nowNanos();
  if (hashedUpTo_ > offset) {
    // A hash cannot be rewound: start over and read the kept prefix back when needed.
    hasher_.reset();
    hashedUpTo_ = 0;
  }
}

void IngestWriter::catchUpHash() {
  if (hashedUpTo_ == offset_) return;
  auto buf = std::make_unique<char[]>(kRehashChunk);
  while (hashedUpTo_ < offset_) {
    size_t want = static_cast<size_t>(std::min<int64_t>(offset_ - hashedUpTo_, kRehashChunk));
    size_t got = readFullyAt(data_.get(), buf.get(), want, hashedUpTo_, dataPath_);
    if (got != want) fail(TENON_INTERNAL, dataPath_.string() + " shrank while its ingest was open");
    hasher_.update(buf.get(), got);
    hashedUpTo_ += static_cast<int64_t>(got);
  }
}

IngestStatus IngestWriter::status() const {
  std::lock_guard guard(mutex_);
  return {record_.ref, offset_, record_.total, record_.expectedDigest, record_.started, record_.updated};
}

IngestWriter::CommitResult IngestWriter::commit(int64_t size, std::string_view digest) {
  std::lock_guard guard(mutex_);
  requireActive();
  std::string_view hex = parseDigest(digest);
  const std::string ref = quote(record_.ref);
  if (size < 0) fail(TENON_INVALID_ARGUMENT, "commit of ingest " + ref + " with negative size " + std::to_string(size));
  if (!record_.expectedDigest.empty() && record_.expectedDigest != digest)
    fail(TENON_INVALID_ARGUMENT, "commit of ingest " + ref + " names digest " + std::string(digest) +
                                     " but it was opened expecting " + record_.expectedDigest);
  if (record_.total >= 0 && record_.total != size)
    fail(TENON_INVALID_ARGUMENT, "commit of ingest " + ref + " names size " + std::to_string(size) +
                                     " but it was opened expecting " + std::to_string(record_.total));
  if (size != offset_) {
    discardQuietly();
    fail(TENON_FAILED_PRECONDITION, "commit of ingest " + ref + ": size mismatch: expected " + std::to_string(size) +
                                        " bytes, got " + std::to_string(offset_) + "; the ingest is discarded");
  }
  catchUpHash();
  std::string actual = hasher_.digest();
  if (actual != digest) {
    discardQuietly();
    fail(TENON_FAILED_PRECONDITION, "commit of ingest " + ref + ": digest mismatch: expected " +
                                        std::string(digest) + ", got " + actual + "; the ingest is discarded");
  }
  return publish(hex, digest);
}

IngestWriter::CommitResult IngestWriter::publish(std::string_view hex, std::string_view digest) {
  stdfs::path blob = layout_.blobs / std::string(hex);
  struct stat st{};
  if (::stat(blob.c_str(), &st) == 0) {
    discard();
    return CommitResult::alreadyExists;
  }
  if (::fsync(data_.get()) != 0) failErrno(errno, "cannot fsync " + dataPath_.string());
  if (::fchmod(data_.get(), 0444) != 0) failErrno(errno, "cannot chmod " + dataPath_.string());
  // Created and updated of a blob are its mtime: make that the commit time.
  if (::futimens(data_.get(), nullptr) != 0) failErrno(errno, "cannot touch " + dataPath_.string());
  // NOREPLACE: a blob another ref committed meanwhile stays, and this one is told.
  // A filesystem without it gets link(), which is as atomic and as exclusive;
  // the ingest's own name goes with its folder.
  int moved = ::renameat2(AT_FDCWD, dataPath_.c_str(), AT_FDCWD, blob.c_str(), RENAME_NOREPLACE);
  if (moved != 0 && errno == EINVAL) moved = ::link(dataPath_.c_str(), blob.c_str());
  if (moved != 0) {
    if (errno != EEXIST) {
      int err = errno;
      ::fchmod(data_.get(), 0600);  // still an ingest: keep it writable for a resume
      failErrno(err, "cannot publish " + std::string(digest) + " as " + blob.string());
    }
    discard();
    return CommitResult::alreadyExists;
  }
  syncDirectory(layout_.blobs);
  discardQuietly();  // the blob is safe; a leftover folder is only clutter
  state_ = State::committed;
  return CommitResult::committed;
}

void IngestWriter::discard() {
  discardIngest(layout_.ingest, dir_);
  state_ = State::discarded;
}

void IngestWriter::discardQuietly() {
  try {
    discard();
  } catch (const std::exception& e) {
    warn_(std::string("cannot discard ingest ") + quote(record_.ref) + ": " + e.what());
  }
  state_ = State::discarded;
}

}  // namespace tenon::content_local
