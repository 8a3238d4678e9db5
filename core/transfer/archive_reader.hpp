// Reading a tar archive (plain or compressed: libarchive detects gzip, zstd,
// xz, bzip2...) entry by entry from a blocking byte source, refusing entries
// that could name something outside the archive: absolute paths, ".."
// segments, links that point out of it, and special files. Nothing is
// extracted to disk; the caller streams each file's bytes where they belong.
// Links are reported, never followed here: a docker-archive made by skopeo or
// an old `docker save` links <id>/layer.tar to the layer's file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

struct archive;

namespace tenon::transfer {

struct ArchiveEntry {
  std::string path;  // normalised: no "./" prefix, no empty or "." segments
  std::int64_t size = 0;
  // For a symbolic or hard link: the path it names, normalised and relative
  // to the archive's root (a symlink's target is resolved against its folder).
  std::string linkTarget;
  bool isLink() const { return !linkTarget.empty(); }
};

class ArchiveReader {
 public:
  // Reads up to `max` bytes into `buffer`, blocking; 0 at the end. May throw.
  using Source = std::function<std::size_t(void* buffer, std::size_t max)>;

  explicit ArchiveReader(Source source);
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // The next regular file or link (directories are passed over); nullopt at
  // the end of the archive. Throws invalid_argument naming a refused entry, or
  // saying how the archive is corrupt or truncated; rethrows what the source threw.
  std::optional<ArchiveEntry> next();
  // Up to `max` bytes of the current file; 0 at its end.
  std::size_t read(void* buffer, std::size_t max);
  // Passes over the rest of the current file.
  void skip();

 private:
  static long readCallback(struct archive*, void* self, const void** buffer);
  [[noreturn]] void failFromArchive(const std::string& during);

  Source source_;
  // Owned: freed even when the constructor throws.
  std::unique_ptr<struct archive, int (*)(struct archive*)> owner_;
  struct archive* archive_;
  std::string current_;           // the current entry's path, for messages
  std::exception_ptr sourceError_;  // what the source threw, rethrown past libarchive
  char buffer_[1 << 16];
};

// Normalises `path` as ArchiveEntry does; throws invalid_argument for an
// absolute path or a ".." segment.
std::string normalizeEntryPath(const std::string& path);

}  // namespace tenon::transfer
