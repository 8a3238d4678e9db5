#include "transfer/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <tenon/error.hpp>
#include <vector>

#include "metadata/validation.hpp"

namespace tenon::transfer {

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  fail(TENON_INVALID_ARGUMENT, "archive entry " + metadata::quote(path) + " refused: " + why);
}

// A link entry; `folder` is where a symlink's relative target starts from
// (hard links name a path from the archive's root).
ArchiveEntry link(const std::string& raw, const std::string& path, const std::string& target,
                  const std::string& folder) {
  if (target.empty()) refuse(raw, "a link needs a target");
  if (target.starts_with("/")) refuse(raw, "a link to an absolute path is not allowed");
  // Resolved segment by segment: a target may climb within the archive, never out of it.
  std::vector<std::string> parts;
  std::string joined = folder.empty() ? target : folder + "/" + target;
  for (std::size_t start = 0; start <= joined.size();) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string segment = joined.substr(start, end - start);
    if (segment == "..") {
      if (parts.empty()) refuse(raw, "its link target " + metadata::quote(target) + " leaves the archive");
      parts.pop_back();
    } else if (!segment.empty() && segment != ".") {
      parts.push_back(segment);
    }
    start = end + 1;
  }
  if (parts.empty()) refuse(raw, "a link to the archive's root is not allowed");
  std::string resolved;
  for (const auto& part : parts) resolved += (resolved.empty() ? "" : "/") + part;
  return ArchiveEntry{path, 0, resolved};
}

}  // namespace

std::string normalizeEntryPath(const std::string& path) {
  if (path.starts_with("/")) refuse(path, "absolute paths are not allowed");
  std::string out;
  for (std::size_t start = 0; start <= path.size();) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(start, end - start);
    if (segment == "..") refuse(path, "a \"..\" segment is not allowed");
    if (!segment.empty() && segment != ".") out += (out.empty() ? "" : "/") + segment;
    start = end + 1;
  }
  return out;
}

ArchiveReader::ArchiveReader(Source source)
    : source_(std::move(source)), owner_(archive_read_new(), archive_read_free), archive_(owner_.get()) {
  if (archive_ == nullptr) fail(TENON_RESOURCE_EXHAUSTED, "cannot allocate an archive reader");
  archive_read_support_filter_all(archive_);
  archive_read_support_format_tar(archive_);
  if (archive_read_open(archive_, this, nullptr, &ArchiveReader::readCallback, nullptr) != ARCHIVE_OK)
    failFromArchive("opening it");
}

ArchiveReader::~ArchiveReader() = default;

long ArchiveReader::readCallback(struct archive* a, void* self, const void** buffer) {
  auto* reader = static_cast<ArchiveReader*>(self);
  *buffer = reader->buffer_;
  // Exceptions must not unwind through libarchive's C frames: keep it for later.
  try {
    return static_cast<long>(reader->source_(reader->buffer_, sizeof reader->buffer_));
  } catch (...) {
    reader->sourceError_ = std::current_exception();
    archive_set_error(a, EIO, "the archive's bytes stopped");
    return -1;
  }
}

void ArchiveReader::failFromArchive(const std::string& during) {
  if (sourceError_) std::rethrow_exception(sourceError_);
  const char* why = archive_error_string(archive_);
  std::string where = current_.empty() ? "" : " at entry " + metadata::quote(current_);
  fail(TENON_INVALID_ARGUMENT, "truncated or corrupt archive" + where + " (" + during + "): " +
                                   (why != nullptr ? why : "unknown error"));
}

std::optional<ArchiveEntry> ArchiveReader::next() {
  for (;;) {
    struct archive_entry* entry = nullptr;
    current_.clear();
    int status = archive_read_next_header(archive_, &entry);
    if (status == ARCHIVE_EOF) return std::nullopt;
    if (status < ARCHIVE_WARN) failFromArchive("reading an entry's header");
    const char* name = archive_entry_pathname(entry);
    if (name == nullptr) refuse("?", "its name cannot be read");
    std::string raw = name;
    std::string path = normalizeEntryPath(raw);
    current_ = path;
    mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFDIR && archive_entry_hardlink(entry) == nullptr) continue;
    if (path.empty()) refuse(raw, "an entry needs a name");
    if (const char* target = archive_entry_hardlink(entry)) return link(raw, path, target, "");
    if (type == AE_IFLNK) {
      const char* target = archive_entry_symlink(entry);
      std::size_t slash = path.rfind('/');
      return link(raw, path, target != nullptr ? target : "", slash == std::string::npos ? "" : path.substr(0, slash));
    }
    if (type != AE_IFREG) refuse(raw, "only regular files, directories and links are allowed");
    return ArchiveEntry{path, archive_entry_size(entry), ""};
  }
}

std::size_t ArchiveReader::read(void* buffer, std::size_t max) {
  la_ssize_t n = archive_read_data(archive_, buffer, max);
  if (n < 0) failFromArchive("reading data");
  return static_cast<std::size_t>(n);
}

void ArchiveReader::skip() {
  if (archive_read_data_skip(archive_) != ARCHIVE_OK) failFromArchive("skipping data");
}

}  // namespace tenon::transfer
