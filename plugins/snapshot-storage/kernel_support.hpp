// Whether the running kernel can mount a filesystem type, as containerd and
// Docker decide it: the type is listed in /proc/filesystems, after asking
// modprobe to load the module if it was not.
#pragma once

#include <string>
#include <string_view>

namespace tenon::snapshot_storage {

// The text of /proc/filesystems ("" when it cannot be read).
std::string readProcFilesystems();

// True when `procFilesystems` (the text of /proc/filesystems) lists `type`.
bool listsFilesystem(std::string_view procFilesystems, std::string_view type);

// Throws failed_precondition "<type> is not supported by this kernel" (those
// words exactly) unless the kernel lists `type`, after `modprobe -q <type>`
// when it did not at first (its failure ignored: the list decides).
void requireKernelFilesystem(std::string_view type);

}  // namespace tenon::snapshot_storage
