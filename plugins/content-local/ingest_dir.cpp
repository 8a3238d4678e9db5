#include "ingest_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <tenon/error.hpp>

#include "digest.hpp"
#include "files.hpp"

namespace tenon::content_local {

namespace stdfs = std::filesystem;

namespace {

constexpr size_t kMaxRefLength = 256;

std::string quote(std::string_view ref) { return "\"" + std::string(ref) + "\""; }

int64_t parseNumber(const std::optional<std::string>& text, int64_t fallback) {
  if (!text || text->empty()) return fallback;
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text->c_str(), &end, 10);
  return (errno != 0 || *end != '\0') ? fallback : value;
}

// A temp name next to the ingest folders, unique to this call.
std::string makeTempDir(const stdfs::path& ingestRoot, const stdfs::path& dir) {
  std::string tmpl = (ingestRoot / (std::string(kTempPrefix) + dir.filename().string() + "-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) failErrno(errno, "cannot create a temp folder in " + ingestRoot.string());
  return tmpl;
}

UniqueFd openLocked(const stdfs::path& file, int flags) {
  UniqueFd fd = openFile(file, flags, 0600);
  if (!fd) failErrno(errno, "cannot open " + file.string());
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) failErrno(errno, "cannot lock " + file.string());
  return fd;
}

}  // namespace

void validateRef(std::string_view ref) {
  if (ref.empty()) fail(TENON_INVALID_ARGUMENT, "invalid ref: it is empty");
  if (ref.size() > kMaxRefLength)
    fail(TENON_INVALID_ARGUMENT, "invalid ref: " + std::to_string(ref.size()) + " bytes, the limit is " +
                                     std::to_string(kMaxRefLength));
  if (ref.find('\0') != std::string_view::npos) fail(TENON_INVALID_ARGUMENT, "invalid ref: it holds a NUL byte");
}

stdfs::path ingestPath(const stdfs::path& ingestRoot, std::string_view ref) {
  return ingestRoot / sha256Hex(ref);
}

UniqueFd lockIngest(const stdfs::path& dir, std::string_view ref) {
  stdfs::path lockFile = dir / kLockFile;
  UniqueFd fd = openFile(lockFile, O_RDWR);
  if (!fd) {
    if (errno == ENOENT) return {};
    failErrno(errno, "cannot open " + lockFile.string());
  }
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) fail(TENON_UNAVAILABLE, "ref " + quote(ref) + " is locked by another writer");
    if (errno != EINTR) failErrno(errno, "cannot lock " + lockFile.string());
  }
  // The holder we waited for may have committed or aborted, removing the
  // folder: a lock on a file no longer at that path guards nothing.
  struct stat held{}, current{};
  if (::fstat(fd.get(), &held) != 0) failErrno(errno, "cannot stat " + lockFile.string());
  if (::stat(lockFile.c_str(), &current) != 0) {
    if (errno == ENOENT) return {};
    failErrno(errno, "cannot stat " + lockFile.string());
  }
  if (held.st_dev != current.st_dev || held.st_ino != current.st_ino) return {};
  return fd;
}

UniqueFd createIngest(const stdfs::path& ingestRoot, const stdfs::path& dir, const IngestRecord& record) {
  stdfs::path tmp = makeTempDir(ingestRoot, dir);
  try {
    UniqueFd lock = openLocked(tmp / kLockFile, O_RDWR | O_CREAT | O_EXCL);
    UniqueFd data = openFile(tmp / kDataFile, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (!data) failErrno(errno, "cannot create " + (tmp / kDataFile).string());
    writeIngestField(tmp, kRefFile, record.ref);
    writeIngestField(tmp, kTotalFile, std::to_string(record.total));
    writeIngestField(tmp, kExpectedDigestFile, record.expectedDigest);
    writeIngestTime(tmp, kStartedFile, record.started);
    writeIngestTime(tmp, kUpdatedFile, record.updated);
    syncDirectory(tmp);
    if (::rename(tmp.c_str(), dir.c_str()) != 0) {
      if (errno != EEXIST && errno != ENOTEMPTY) failErrno(errno, "cannot rename " + tmp.string());
      removeTree(tmp);  // another writer created the ingest first; the caller locks theirs
      return {};
    }
    syncDirectory(ingestRoot);
    return lock;
  } catch (...) {
    std::error_code ignored;
    stdfs::remove_all(tmp, ignored);
    throw;
  }
}

std::optional<IngestRecord> readIngestRecord(const stdfs::path& dir) {
  std::optional<std::string> ref = readSmallFile(dir / kRefFile);
  if (!ref) return std::nullopt;
  IngestRecord record;
  record.ref = std::move(*ref);
  record.total = parseNumber(readSmallFile(dir / kTotalFile), -1);
  record.expectedDigest = readSmallFile(dir / kExpectedDigestFile).value_or("");
  record.started = parseNumber(readSmallFile(dir / kStartedFile), 0);
  record.updated = parseNumber(readSmallFile(dir / kUpdatedFile), record.started);
  return record;
}

void writeIngestField(const stdfs::path& dir, const char* name, const std::string& value) {
  writeFileAtomically(dir, name, value);
}

void writeIngestTime(const stdfs::path& dir, const char* name, int64_t nanos) {
  writeFileAtomically(dir, name, std::to_string(nanos));
}

void discardIngest(const stdfs::path& ingestRoot, const stdfs::path& dir) {
  // Renaming onto an empty directory replaces it: the folder leaves its name
  // in one step, and a crash before removeTree leaves only a temp to clean.
  stdfs::path tmp = makeTempDir(ingestRoot, dir);
  if (::rename(dir.c_str(), tmp.c_str()) != 0) {
    int err = errno;
    ::rmdir(tmp.c_str());
    failErrno(err, "cannot remove ingest " + dir.string());
  }
  removeTree(tmp);
}

}  // namespace tenon::content_local
