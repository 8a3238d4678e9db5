// A layer's tar read entry by entry with libarchive, from an uncompressed
// ByteSource (unpack decompresses by media type itself: libarchive is given
// the tar formats only — ustar, pax, GNU — and no filters, so a layer is never
// read as something its descriptor does not say it is).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "unpack/byte_source.hpp"

struct archive;
struct archive_entry;

namespace tenon::unpack {

class TarReader {
 public:
  explicit TarReader(ByteSource source);
  ~TarReader();
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;

  // The next entry, valid until the next call; nullptr after the
  // end-of-archive marker. Throws invalid_argument for a corrupt or truncated
  // tar, and rethrows what the source threw.
  struct archive_entry* next();
  // Writes the current entry's data into the regular file `fd` at the offsets
  // the tar gives, so that a sparse file's holes stay holes instead of being
  // written out as zeros; then sets its length to `size`. `entry` names it in errors.
  void copyData(int fd, std::int64_t size, const std::string& entry);

 private:
  static long readCallback(struct archive*, void* self, const void** buffer);
  [[noreturn]] void failFromArchive(const std::string& where);

  ByteSource source_;
  std::unique_ptr<struct archive, int (*)(struct archive*)> archive_;
  std::exception_ptr sourceError_;  // what the source threw, rethrown past libarchive's C frames
  std::vector<char> buffer_;
};

}  // namespace tenon::unpack
