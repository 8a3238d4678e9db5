#include "common/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <tenon/error.hpp>
#include <tenon/unique_fd.hpp>

namespace tenon::runtime_runc {

namespace stdfs = std::filesystem;

namespace {

[[noreturn]] void failFile(const std::string& what, const stdfs::path& file, int err) {
  fail(TENON_INTERNAL, what + " " + file.string() + ": " + std::strerror(err));
}

void writeAll(int fd, const std::string& text, const stdfs::path& file) {
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failFile("cannot write", file, errno);
    done += static_cast<size_t>(n);
  }
}

}  // namespace

void writeFileAtomic(const stdfs::path& file, const std::string& text, unsigned mode) {
  std::string temp = file.string() + ".tmp-XXXXXX";
  UniqueFd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (!fd) failFile("cannot create a temporary file for", file, errno);
  try {
    writeAll(fd.get(), text, temp);
    if (::fchmod(fd.get(), mode) != 0 || ::fsync(fd.get()) != 0) failFile("cannot sync", temp, errno);
    fd.reset();
    if (::rename(temp.c_str(), file.c_str()) != 0) failFile("cannot rename into", file, errno);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  // The rename is durable only once the directory is.
  UniqueFd dir(::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir) ::fsync(dir.get());
}

std::optional<std::string> readFileIfExists(const stdfs::path& file) {
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    failFile("cannot open", file, errno);
  }
  std::string text;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failFile("cannot read", file, errno);
    if (n == 0) return text;
    text.append(buf, static_cast<size_t>(n));
  }
}

void makeDirectory(const stdfs::path& dir, unsigned mode) {
  if (dir.has_parent_path() && !stdfs::exists(dir.parent_path())) makeDirectory(dir.parent_path(), 0711);
  if (::mkdir(dir.c_str(), mode) != 0) {
    if (errno != EEXIST) failFile("cannot create directory", dir, errno);
    return;
  }
  // mkdir(2) applies the umask; the mode is what keeps others out (or lets them in).
  if (::chmod(dir.c_str(), mode) != 0) failFile("cannot set the mode of", dir, errno);
}

int64_t nowNanoseconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string rfc3339(int64_t ns) {
  time_t seconds = static_cast<time_t>(ns / 1'000'000'000);
  tm utc{};
  ::gmtime_r(&seconds, &utc);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%09lldZ", date, static_cast<long long>(ns % 1'000'000'000));
  return out;
}

}  // namespace tenon::runtime_runc
