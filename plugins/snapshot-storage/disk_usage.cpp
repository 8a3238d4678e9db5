#include "disk_usage.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <tenon/error.hpp>
#include <utility>

namespace tenon::snapshot_storage {

namespace stdfs = std::filesystem;

namespace {

struct stat lstatOf(const stdfs::path& path) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) fail(TENON_INTERNAL, "cannot stat " + path.string() + ": " + std::strerror(errno));
  return st;
}

}  // namespace

DiskUsage diskUsage(const stdfs::path& dir, const std::vector<std::string>& skipped) {
  DiskUsage usage;
  const dev_t device = lstatOf(dir).st_dev;
  std::set<std::pair<dev_t, ino_t>> seen;
  std::error_code ec;
  stdfs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it.depth() == 0 && std::ranges::find(skipped, it->path().filename().string()) != skipped.end()) {
      it.disable_recursion_pending();
      continue;
    }
    struct stat st = lstatOf(it->path());
    if (st.st_dev != device) {  // something mounted inside: not this layer's
      it.disable_recursion_pending();
      continue;
    }
    if (!seen.emplace(st.st_dev, st.st_ino).second) continue;
    usage.bytes += static_cast<int64_t>(st.st_blocks) * 512;
    ++usage.inodes;
  }
  if (ec) fail(TENON_INTERNAL, "cannot walk " + dir.string() + ": " + ec.message());
  return usage;
}

}  // namespace tenon::snapshot_storage
