// Directories the daemon owns, created with the mode they must have.
#pragma once

#include <sys/types.h>

#include <filesystem>

namespace tenon::fs {

// Creates `path` and missing parents (parents 0755), then sets `path` itself
// to exactly `mode` (whatever the umask), refusing a symlink or a non-directory
// in its place. Throws tenon::Error naming the path.
void ensureDirectory(const std::filesystem::path& path, mode_t mode);

}  // namespace tenon::fs
