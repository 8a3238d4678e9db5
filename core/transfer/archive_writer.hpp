// Writing a tar archive (POSIX pax, so that sizes and names have no ustar
// limits) entry by entry into a blocking byte sink, with libarchive.
// Entries are owned by root, dated at the epoch: an export of the same images
// is the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>

struct archive;

namespace tenon::transfer {

class ArchiveWriter {
 public:
  // Takes the archive's next bytes, blocking while the reader is behind. May throw.
  using Sink = std::function<void(const void* data, std::size_t size)>;

  explicit ArchiveWriter(Sink sink);
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  void addDirectory(const std::string& path);
  // Starts a regular file of exactly `size` bytes, to be given to write().
  void beginFile(const std::string& path, std::int64_t size);
  void write(const void* data, std::size_t size);
  // Writes the end of the archive and flushes it to the sink.
  void finish();

 private:
  static long writeCallback(struct archive*, void* self, const void* buffer, std::size_t length);
  void addEntry(const std::string& path, unsigned type, unsigned mode, std::int64_t size);
  [[noreturn]] void failFromArchive(const std::string& during);

  // Declared before owner_: libarchive may still call writeCallback while it is freed.
  Sink sink_;
  bool abandoned_ = false;  // destroyed unfinished: what libarchive still flushes is dropped
  bool finished_ = false;
  std::exception_ptr sinkError_;  // what the sink threw, rethrown past libarchive
  // Owned: freed even when the constructor throws.
  std::unique_ptr<struct archive, int (*)(struct archive*)> owner_;
  struct archive* archive_;
};

}  // namespace tenon::transfer
