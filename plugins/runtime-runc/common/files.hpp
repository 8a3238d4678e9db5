// Small file helpers shared by the plugin and the shim. Everything they
// write is written atomically (a temp name, fsync, rename, fsync of the
// directory), so a crash at any point leaves the old or the new file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace tenon::runtime_runc {

// Replaces `file` with `text` atomically, mode `mode`; throws tenon::Error naming the file.
void writeFileAtomic(const std::filesystem::path& file, const std::string& text, unsigned mode = 0644);

// The content of `file`, nullopt when it does not exist; throws for other errors.
std::optional<std::string> readFileIfExists(const std::filesystem::path& file);

// Creates `dir` with `mode` (exactly, whatever the umask) if missing, parents with 0711.
void makeDirectory(const std::filesystem::path& dir, unsigned mode);

// Nanoseconds since the Unix epoch, UTC (tenon_time).
int64_t nowNanoseconds();

// `ns` (a tenon_time) as RFC 3339 with nanoseconds: "2024-05-01T12:00:00.123456789Z".
std::string rfc3339(int64_t ns);

}  // namespace tenon::runtime_runc
