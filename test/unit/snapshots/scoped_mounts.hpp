// A Mount list mounted for the length of a scope, the way a runtime would
// mount a snapshotter's output: each entry at target/<its target>, in order,
// unmounted in reverse by the destructor, so a failing assertion never leaves
// a mount behind. Overlay options longer than a page are compacted first
// (lowerdirs relative to their common parent, mounted from a thread whose
// working directory is that parent), as containerd's mount package does.
#pragma once

#include <filesystem>
#include <tenon/mount.hpp>
#include <vector>

namespace tenon::snapshots::test {

class ScopedMounts {
 public:
  ScopedMounts(const std::vector<Mount>& mounts, std::filesystem::path target);
  ~ScopedMounts();
  ScopedMounts(const ScopedMounts&) = delete;
  ScopedMounts& operator=(const ScopedMounts&) = delete;

  const std::filesystem::path& root() const { return target_; }

 private:
  void unmountAll() noexcept;

  std::filesystem::path target_;
  std::vector<std::filesystem::path> mounted_;  // in mount order
};

// Mounts one entry at `where`; throws tenon::Error with the system's reason.
void mountOne(const Mount& mount, const std::filesystem::path& where);

// Unmounts every mount at or below `dir`, deepest first (lazily if busy):
// the last line of defence of a fixture's destructor.
void unmountAllUnder(const std::filesystem::path& dir);

// Whether this process may mount (root, or CAP_SYS_ADMIN in its namespace).
bool canMount();

}  // namespace tenon::snapshots::test
