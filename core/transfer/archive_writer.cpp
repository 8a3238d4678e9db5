#include "transfer/archive_writer.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <tenon/error.hpp>

namespace tenon::transfer {

ArchiveWriter::ArchiveWriter(Sink sink)
    : sink_(std::move(sink)), owner_(archive_write_new(), archive_write_free), archive_(owner_.get()) {
  if (archive_ == nullptr) fail(TENON_RESOURCE_EXHAUSTED, "cannot allocate an archive writer");
  archive_write_set_format_pax_restricted(archive_);
  // Bigger blocks than tar's 10 KiB: fewer, fuller RPC writes.
  archive_write_set_bytes_per_block(archive_, 64 * 1024);
  archive_write_set_bytes_in_last_block(archive_, 1);
  if (archive_write_open(archive_, this, nullptr, &ArchiveWriter::writeCallback, nullptr) != ARCHIVE_OK)
    failFromArchive("starting the archive");
}

ArchiveWriter::~ArchiveWriter() {
  // An archive abandoned half-way gets no end-of-archive blocks: its reader
  // must see a truncated archive, not a short valid one. (archive_write_fail
  // would skip them too, but leaks libarchive's block buffer.)
  abandoned_ = !finished_;
}

long ArchiveWriter::writeCallback(struct archive* a, void* self, const void* buffer, std::size_t length) {
  auto* writer = static_cast<ArchiveWriter*>(self);
  if (writer->abandoned_) return static_cast<long>(length);
  // Exceptions must not unwind through libarchive's C frames: keep it for later.
  try {
    writer->sink_(buffer, length);
    return static_cast<long>(length);
  } catch (...) {
    writer->sinkError_ = std::current_exception();
    archive_set_error(a, EIO, "the archive's reader went away");
    return -1;
  }
}

void ArchiveWriter::failFromArchive(const std::string& during) {
  if (sinkError_) std::rethrow_exception(sinkError_);
  const char* why = archive_error_string(archive_);
  fail(TENON_INTERNAL, "cannot write the archive (" + during + "): " + (why != nullptr ? why : "unknown error"));
}

void ArchiveWriter::addEntry(const std::string& path, unsigned type, unsigned mode, std::int64_t size) {
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), archive_entry_free);
  archive_entry_set_pathname(entry.get(), path.c_str());
  archive_entry_set_filetype(entry.get(), type);
  archive_entry_set_perm(entry.get(), mode);
  archive_entry_set_size(entry.get(), size);
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  archive_entry_set_mtime(entry.get(), 0, 0);
  if (archive_write_header(archive_, entry.get()) != ARCHIVE_OK) failFromArchive("writing " + path);
}

void ArchiveWriter::addDirectory(const std::string& path) { addEntry(path, AE_IFDIR, 0755, 0); }

void ArchiveWriter::beginFile(const std::string& path, std::int64_t size) { addEntry(path, AE_IFREG, 0644, size); }

void ArchiveWriter::write(const void* data, std::size_t size) {
  if (archive_write_data(archive_, data, size) != static_cast<la_ssize_t>(size)) failFromArchive("writing data");
}

void ArchiveWriter::finish() {
  finished_ = true;
  if (archive_write_close(archive_) != ARCHIVE_OK) failFromArchive("ending the archive");
}

}  // namespace tenon::transfer
