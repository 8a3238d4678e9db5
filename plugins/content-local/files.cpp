#include "files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <tenon/error.hpp>

namespace tenon::content_local {

namespace stdfs = std::filesystem;

void failErrno(int err, const std::string& what) {
  tenon_status code = TENON_INTERNAL;
  if (err == ENOSPC || err == EDQUOT) code = TENON_RESOURCE_EXHAUSTED;
  if (err == EACCES || err == EPERM || err == EROFS) code = TENON_PERMISSION_DENIED;
  fail(code, what + ": " + std::strerror(err));
}

int64_t nowNanos() {
  struct timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

int64_t mtimeNanos(const struct stat& st) {
  return int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
}

UniqueFd openFile(const stdfs::path& path, int flags, mode_t mode) {
  return UniqueFd(::open(path.c_str(), flags | O_CLOEXEC, mode));
}

void writeFileAtomically(const stdfs::path& dir, const std::string& name, std::string_view text) {
  std::string tmpl = (dir / (std::string(kTempPrefix) + name + "-XXXXXX")).string();
  UniqueFd fd(::mkostemp(tmpl.data(), O_CLOEXEC));
  if (!fd) failErrno(errno, "cannot create a temp file in " + dir.string());
  try {
    writeAllAt(fd.get(), text.data(), text.size(), 0, tmpl);
    if (::fsync(fd.get()) != 0) failErrno(errno, "cannot fsync " + tmpl);
    if (::rename(tmpl.c_str(), (dir / name).c_str()) != 0) failErrno(errno, "cannot rename " + tmpl);
  } catch (...) {
    ::unlink(tmpl.c_str());
    throw;
  }
}

std::optional<std::string> readSmallFile(const stdfs::path& file) {
  UniqueFd fd = openFile(file, O_RDONLY);
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    failErrno(errno, "cannot open " + file.string());
  }
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failErrno(errno, "cannot read " + file.string());
    if (n == 0) return text;
    text.append(buf, static_cast<size_t>(n));
  }
}

void writeAllAt(int fd, const void* data, size_t len, int64_t offset, const stdfs::path& path) {
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    ssize_t n = ::pwrite(fd, p, len, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failErrno(errno, "cannot write " + path.string());
    p += n;
    len -= static_cast<size_t>(n);
    offset += n;
  }
}

size_t readFullyAt(int fd, void* buf, size_t len, int64_t offset, const stdfs::path& path) {
  char* p = static_cast<char*>(buf);
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::pread(fd, p + done, len - done, offset + static_cast<int64_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failErrno(errno, "cannot read " + path.string());
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

void syncDirectory(const stdfs::path& dir) {
  UniqueFd fd = openFile(dir, O_RDONLY | O_DIRECTORY);
  if (!fd) failErrno(errno, "cannot open " + dir.string());
  if (::fsync(fd.get()) != 0) failErrno(errno, "cannot fsync " + dir.string());
}

void ensureDirectory(const stdfs::path& dir, mode_t mode) {
  if (::mkdir(dir.c_str(), mode) == 0) return;
  if (errno != EEXIST) failErrno(errno, "cannot create " + dir.string());
  struct stat st{};
  if (::stat(dir.c_str(), &st) != 0) failErrno(errno, "cannot stat " + dir.string());
  if (!S_ISDIR(st.st_mode)) fail(TENON_FAILED_PRECONDITION, dir.string() + " exists and is not a directory");
}

void removeTree(const stdfs::path& path) {
  std::error_code ec;
  stdfs::remove_all(path, ec);
  if (ec) failErrno(ec.value(), "cannot remove " + path.string());
}

size_t removeTempEntries(const stdfs::path& dir) {
  std::error_code ec;
  size_t removed = 0;
  for (const auto& entry : stdfs::directory_iterator(dir, ec)) {
    if (!entry.path().filename().string().starts_with(kTempPrefix)) continue;
    removeTree(entry.path());
    ++removed;
  }
  if (ec) failErrno(ec.value(), "cannot list " + dir.string());
  return removed;
}

}  // namespace tenon::content_local
