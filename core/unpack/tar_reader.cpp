#include "unpack/tar_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <tenon/error.hpp>

#include "metadata/validation.hpp"
#include "unpack/entry_errors.hpp"

namespace tenon::unpack {

namespace {

constexpr std::size_t kReadBuffer = std::size_t{256} << 10;

void writeAll(int fd, const char* data, std::size_t size, la_int64_t offset, const std::string& entry) {
  while (size > 0) {
    ssize_t n = ::pwrite(fd, data, size, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failErrno(errno, entry, "writing its data");
    data += n;
    size -= static_cast<std::size_t>(n);
    offset += n;
  }
}

}  // namespace

TarReader::TarReader(ByteSource source)
    : source_(std::move(source)), archive_(archive_read_new(), archive_read_free), buffer_(kReadBuffer) {
  if (!archive_) fail(TENON_RESOURCE_EXHAUSTED, "cannot allocate a tar reader");
  archive_read_support_format_tar(archive_.get());
  if (archive_read_open(archive_.get(), this, nullptr, &TarReader::readCallback, nullptr) != ARCHIVE_OK)
    failFromArchive("at its start");
}

TarReader::~TarReader() = default;

long TarReader::readCallback(struct archive* a, void* self, const void** buffer) {
  auto* reader = static_cast<TarReader*>(self);
  *buffer = reader->buffer_.data();
  try {
    return static_cast<long>(reader->source_(reader->buffer_.data(), reader->buffer_.size()));
  } catch (...) {
    reader->sourceError_ = std::current_exception();
    archive_set_error(a, EIO, "the layer's bytes stopped");
    return -1;
  }
}

void TarReader::failFromArchive(const std::string& where) {
  if (sourceError_) std::rethrow_exception(sourceError_);
  const char* why = archive_error_string(archive_.get());
  fail(TENON_INVALID_ARGUMENT, "corrupt or truncated tar " + where + ": " + (why != nullptr ? why : "unknown error"));
}

struct archive_entry* TarReader::next() {
  struct archive_entry* entry = nullptr;
  int status = archive_read_next_header(archive_.get(), &entry);
  if (status == ARCHIVE_EOF) return nullptr;
  // ARCHIVE_WARN is for what libarchive could not map (an unknown PAX key): the entry itself is whole.
  if (status < ARCHIVE_WARN) failFromArchive("reading an entry's header");
  return entry;
}

void TarReader::copyData(int fd, std::int64_t size, const std::string& entry) {
  const void* block = nullptr;
  std::size_t length = 0;
  la_int64_t offset = 0;
  la_int64_t end = 0;
  for (;;) {
    int status = archive_read_data_block(archive_.get(), &block, &length, &offset);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) failFromArchive("in the data of entry " + metadata::quote(entry));
    writeAll(fd, static_cast<const char*>(block), length, offset, entry);
    end = std::max(end, offset + static_cast<la_int64_t>(length));
  }
  // A sparse file may end in a hole: its length is the entry's size, not where the last block ended.
  if (end < size && ::ftruncate(fd, size) != 0) failErrno(errno, entry, "setting its length");
}

}  // namespace tenon::unpack
