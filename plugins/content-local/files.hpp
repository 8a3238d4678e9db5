// The few file operations the store is built from, each throwing tenon::Error
// with the path and the system's reason. Everything persistent is written
// atomically: a temp name (".tmp-..."), fsync, rename.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <tenon/unique_fd.hpp>

namespace tenon::content_local {

// Names starting with this are temporaries a crash may leave; init removes them.
inline constexpr std::string_view kTempPrefix = ".tmp-";

// Throws the tenon::Error for errno `err` (no space → resource_exhausted,
// EACCES → permission_denied, anything else → internal): "<what>: <reason>".
[[noreturn]] void failErrno(int err, const std::string& what);

// Nanoseconds since the epoch: now, and a file's modification time.
int64_t nowNanos();
int64_t mtimeNanos(const struct stat& st);

// Opens `path` with `flags` (O_CLOEXEC added); an invalid fd with errno set on failure.
UniqueFd openFile(const std::filesystem::path& path, int flags, mode_t mode = 0);

// Replaces `dir`/`name` with `text` atomically (temp + fsync + rename).
void writeFileAtomically(const std::filesystem::path& dir, const std::string& name, std::string_view text);
// The content of a small file, or nullopt when it does not exist.
std::optional<std::string> readSmallFile(const std::filesystem::path& file);

// Writes all of `len` bytes at `offset`; reads up to `len` bytes at `offset`
// (fewer only at the end of the file). Both retry on EINTR and short counts.
void writeAllAt(int fd, const void* data, size_t len, int64_t offset, const std::filesystem::path& path);
size_t readFullyAt(int fd, void* buf, size_t len, int64_t offset, const std::filesystem::path& path);

// Makes renames and unlinks in `dir` durable.
void syncDirectory(const std::filesystem::path& dir);
// Creates `dir` with `mode` unless it exists as a directory.
void ensureDirectory(const std::filesystem::path& dir, mode_t mode);
// Removes `path` and all it holds; absent is fine.
void removeTree(const std::filesystem::path& path);
// Removes every entry of `dir` whose name starts with kTempPrefix; returns how many.
size_t removeTempEntries(const std::filesystem::path& dir);

}  // namespace tenon::content_local
