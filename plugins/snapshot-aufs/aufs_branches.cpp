#include "aufs_branches.hpp"

#include <tenon/error.hpp>

namespace tenon::snapshot_aufs {

namespace {

constexpr std::string_view kRemount = "remount";

Mount aufsMount(std::vector<std::string> options) { return Mount{"aufs", "none", "", std::move(options)}; }

void requireFits(const Mount& mount, size_t dataLimit) {
  if (size_t length = mountData(mount.options).size(); length > dataLimit)
    fail(TENON_RESOURCE_EXHAUSTED, "the aufs mount options \"" + mountData(mount.options) + "\" take " +
                                       std::to_string(length) + " bytes; mount(2) takes " + std::to_string(dataLimit));
}

}  // namespace

std::string branchOption(const AufsBranch& branch) {
  return branch.dir.string() + (branch.writable ? "=rw" : "=ro+wh");
}

std::vector<Mount> aufsMounts(const std::vector<AufsBranch>& branches, size_t dataLimit) {
  if (branches.empty()) fail(TENON_INTERNAL, "an aufs mount needs at least one branch");
  // What the first mount's data holds after "br:...": ",dio,xino=...".
  const size_t tail = 1 + kDirectIo.size() + 1 + kXino.size();
  std::string br = "br:" + branchOption(branches.front());
  size_t next = 1;
  for (; next < branches.size(); ++next) {
    std::string branch = branchOption(branches[next]);
    if (br.size() + 1 + branch.size() + tail > dataLimit) break;
    br += ":" + branch;
  }
  std::vector<Mount> mounts{aufsMount({std::move(br), std::string(kDirectIo), std::string(kXino)})};
  // Appended in order, each at the bottom: the stack ends nearest first, as in "br:".
  for (; next < branches.size(); ++next)
    mounts.push_back(aufsMount({std::string(kRemount), "append:" + branchOption(branches[next])}));
  for (const Mount& mount : mounts) requireFits(mount, dataLimit);
  return mounts;
}

}  // namespace tenon::snapshot_aufs
