#include "snapshot_dirs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <tenon/error.hpp>
#include <tenon/unique_fd.hpp>

namespace tenon::snapshot_storage {

namespace stdfs = std::filesystem;

namespace {

[[noreturn]] void failErrno(int err, const std::string& what) {
  tenon_status code = (err == ENOSPC || err == EDQUOT) ? TENON_RESOURCE_EXHAUSTED : TENON_INTERNAL;
  fail(code, what + ": " + std::strerror(err));
}

void makeDir(const stdfs::path& dir, mode_t mode) {
  if (::mkdir(dir.c_str(), mode) != 0) failErrno(errno, "cannot create " + dir.string());
  // mkdir's mode passes through the umask; the layout's modes must not.
  if (::chmod(dir.c_str(), mode) != 0) failErrno(errno, "cannot chmod " + dir.string());
}

void syncDir(const stdfs::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || ::fsync(fd.get()) != 0) failErrno(errno, "cannot fsync " + dir.string());
}

void removeTree(const stdfs::path& path) {
  std::error_code ec;
  stdfs::remove_all(path, ec);
  if (ec) failErrno(ec.value(), "cannot remove " + path.string());
}

// The id a directory name stands for, when it is a canonical decimal.
std::optional<uint64_t> idOf(const std::string& name) {
  uint64_t id = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
  if (ec != std::errc() || end != name.data() + name.size() || name.starts_with('0')) return std::nullopt;
  return id;
}

}  // namespace

SnapshotDirs::SnapshotDirs(const SnapshotLayout& layout) : layout_(layout) {
  if (::mkdir(layout_.snapshots().c_str(), 0700) != 0 && errno != EEXIST)
    failErrno(errno, "cannot create " + layout_.snapshots().string());
}

void SnapshotDirs::create(uint64_t id, bool withWork, std::optional<uint64_t> likeLayer) const {
  stdfs::path tmp = layout_.snapshots() / (".tmp-new-" + std::to_string(id));
  removeTree(tmp);  // a crash's leftover: the id was never recorded, so nothing else uses the name
  try {
    makeDir(tmp, 0700);
    makeDir(tmp / "fs", 0755);
    if (likeLayer) {
      struct stat st{};
      stdfs::path like = layout_.fs(*likeLayer);
      if (::stat(like.c_str(), &st) != 0) failErrno(errno, "cannot stat " + like.string());
      if (::chown((tmp / "fs").c_str(), st.st_uid, st.st_gid) != 0 || ::chmod((tmp / "fs").c_str(), st.st_mode & 07777) != 0)
        failErrno(errno, "cannot copy the owner of " + like.string());
    }
    if (withWork) makeDir(tmp / "work", 0711);
    syncDir(tmp);
    stdfs::path final = layout_.dir(id);
    if (::rename(tmp.c_str(), final.c_str()) != 0) {
      if (errno != ENOTEMPTY && errno != EEXIST) failErrno(errno, "cannot rename " + tmp.string());
      // A stray from before a crash holds the unrecorded id: it is nobody's.
      removeTree(final);
      if (::rename(tmp.c_str(), final.c_str()) != 0) failErrno(errno, "cannot rename " + tmp.string());
    }
    // The record is committed next: the rename must be on disk before it.
    syncDir(layout_.snapshots());
  } catch (...) {
    std::error_code ignored;
    stdfs::remove_all(tmp, ignored);
    throw;
  }
}

std::string SnapshotDirs::remove(uint64_t id) const noexcept {
  try {
    stdfs::path dir = layout_.dir(id);
    stdfs::path doomed = layout_.snapshots() / (".tmp-rm-" + std::to_string(id));
    // Renamed first so that a half-deleted tree never sits under a live id's name.
    if (::rename(dir.c_str(), doomed.c_str()) != 0) {
      if (errno == ENOENT) return "";
      failErrno(errno, "cannot rename " + dir.string());
    }
    removeTree(doomed);
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::vector<std::string> SnapshotDirs::removeStrays(const std::set<uint64_t>& recorded) const {
  std::vector<std::string> removed;
  std::error_code ec;
  for (const stdfs::directory_entry& entry : stdfs::directory_iterator(layout_.snapshots(), ec)) {
    std::string name = entry.path().filename().string();
    std::optional<uint64_t> id = idOf(name);
    if (id && recorded.contains(*id)) continue;
    removeTree(entry.path());
    removed.push_back(std::move(name));
  }
  if (ec) failErrno(ec.value(), "cannot list " + layout_.snapshots().string());
  return removed;
}

}  // namespace tenon::snapshot_storage
