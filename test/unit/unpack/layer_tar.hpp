// Layer tars for the unpack tests (unit and integration), written entry by
// entry with libarchive (pax, optionally gzip or zstd), with names exactly as
// given: what a real tool writes and what an attacker would. And a scratch
// directory per test. Header-only, libarchive and doctest only.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>


namespace tenon::unpack::test {

namespace stdfs = std::filesystem;

enum class TarFilter { none, gzip, zstd };

struct TarEntry {
  std::string path;
  mode_t type = S_IFREG;  // S_IFREG, S_IFDIR, S_IFLNK, S_IFCHR, S_IFBLK, S_IFIFO
  std::string data;       // a regular file's bytes
  std::string link;       // a symlink's target, or with hardLink the target entry
  bool hardLink = false;
  mode_t mode = 0644;
  std::int64_t uid = 0, gid = 0;
  time_t mtime = 1600000000;
  unsigned major = 0, minor = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;
};

inline TarEntry file(std::string path, std::string data, mode_t mode = 0644) {
  return {std::move(path), S_IFREG, std::move(data), "", false, mode};
}
inline TarEntry dir(std::string path, mode_t mode = 0755) { return {std::move(path), S_IFDIR, "", "", false, mode}; }
inline TarEntry symLink(std::string path, std::string target) {
  return {std::move(path), S_IFLNK, "", std::move(target), false, 0777};
}
inline TarEntry hardLink(std::string path, std::string target) {
  return {std::move(path), S_IFREG, "", std::move(target), true, 0644};
}
inline TarEntry node(std::string path, mode_t type, unsigned major = 0, unsigned minor = 0) {
  TarEntry e{std::move(path), type, "", "", false, 0600};
  e.major = major;
  e.minor = minor;
  return e;
}

inline void addEntry(struct archive* tar, const TarEntry& e) {
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), archive_entry_free);
  archive_entry_set_pathname(entry.get(), e.path.c_str());
  archive_entry_set_filetype(entry.get(), e.type);
  archive_entry_set_perm(entry.get(), e.mode);
  archive_entry_set_uid(entry.get(), e.uid);
  archive_entry_set_gid(entry.get(), e.gid);
  archive_entry_set_mtime(entry.get(), e.mtime, 0);
  if (e.hardLink) archive_entry_set_hardlink(entry.get(), e.link.c_str());
  if (e.type == S_IFLNK) archive_entry_set_symlink(entry.get(), e.link.c_str());
  if (e.type == S_IFCHR || e.type == S_IFBLK) {
    archive_entry_set_rdevmajor(entry.get(), e.major);
    archive_entry_set_rdevminor(entry.get(), e.minor);
  }
  for (const auto& [name, value] : e.xattrs)
    archive_entry_xattr_add_entry(entry.get(), name.c_str(), value.data(), value.size());
  bool hasData = e.type == S_IFREG && !e.hardLink;
  archive_entry_set_size(entry.get(), hasData ? static_cast<la_int64_t>(e.data.size()) : 0);
  REQUIRE_MESSAGE(archive_write_header(tar, entry.get()) == ARCHIVE_OK, archive_error_string(tar));
  if (hasData && !e.data.empty())
    REQUIRE(archive_write_data(tar, e.data.data(), e.data.size()) == static_cast<la_ssize_t>(e.data.size()));
}

// The tar of `entries`, compressed as asked, not padded past its end-of-archive blocks.
inline std::string makeTar(const std::vector<TarEntry>& entries, TarFilter filter = TarFilter::none) {
  std::string out;
  std::unique_ptr<archive, decltype(&archive_write_free)> tar(archive_write_new(), archive_write_free);
  archive_write_set_format_pax_restricted(tar.get());
  if (filter == TarFilter::gzip) REQUIRE(archive_write_add_filter_gzip(tar.get()) == ARCHIVE_OK);
  if (filter == TarFilter::zstd) REQUIRE(archive_write_add_filter_zstd(tar.get()) == ARCHIVE_OK);
  archive_write_set_bytes_in_last_block(tar.get(), 1);
  auto write = [](struct archive*, void* self, const void* data, size_t size) -> la_ssize_t {
    static_cast<std::string*>(self)->append(static_cast<const char*>(data), size);
    return static_cast<la_ssize_t>(size);
  };
  REQUIRE(archive_write_open(tar.get(), &out, nullptr, write, nullptr) == ARCHIVE_OK);
  for (const TarEntry& e : entries) addEntry(tar.get(), e);
  REQUIRE(archive_write_close(tar.get()) == ARCHIVE_OK);
  return out;
}

// /tmp/<prefix>-XXXXXX, removed with everything in it.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix = "tenon-unpack") {
    std::string pattern = "/tmp/" + prefix + "-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    stdfs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const stdfs::path& path() const { return path_; }
  stdfs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  stdfs::path path_;
};

}  // namespace tenon::unpack::test
