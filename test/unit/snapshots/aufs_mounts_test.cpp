// The aufs snapshotter's Mount lists: branches top first ("rw" over "ro+wh"),
// "dio" and "xino", and chains longer than the one page mount(2) takes, split
// into a "br:" mount and "append:" remounts. Computed, never mounted, so they
// are checked on kernels without aufs too.
#include <doctest/doctest.h>

#include <string>
#include <tenon/error.hpp>
#include <tenon/mount_options.hpp>
#include <vector>

#include "snapshot-aufs/aufs_branches.hpp"
#include "snapshot-aufs/aufs_layout.hpp"
#include "snapshotter_fixture.hpp"

using namespace tenon;
using namespace tenon::snapshot_aufs;
using snapshot_storage::Kind;
using tenon::snapshots::test::chainIds;
using tenon::snapshots::test::errorFrom;

namespace {

// The plugin root a daemon with the default root (/var/lib/tenon) gives it.
const std::string kDaemonRoot = "/var/lib/tenon/snapshotter.aufs";
const std::string kXinoOption = "xino=/dev/shm/aufs.xino";

// The branches the mounts stack, in the order aufs stacks them: those of
// "br:", then each "append:" (which adds at the bottom).
std::vector<std::string> stackedBranches(const std::vector<Mount>& mounts) {
  std::vector<std::string> out;
  std::string br = mounts.at(0).options.at(0);
  REQUIRE(br.starts_with("br:"));
  for (size_t start = 3, end = 0; end != std::string::npos; start = end + 1) {
    end = br.find(':', start);
    out.push_back(br.substr(start, end - start));
  }
  for (size_t i = 1; i < mounts.size(); ++i) {
    REQUIRE(mounts[i].options.size() == 2);
    REQUIRE(mounts[i].options[1].starts_with("append:"));
    out.push_back(mounts[i].options[1].substr(7));
  }
  return out;
}

}  // namespace

TEST_CASE("aufs: each kind of snapshot gets the mounts containerd's aufs snapshotter gives") {
  AufsLayout layout("/r");
  CHECK(layout.mounts(Kind::active, 7, {}) == std::vector<Mount>{{"bind", "/r/snapshots/7/fs", "", {"rbind", "rw"}}});
  CHECK(layout.mounts(Kind::view, 7, {3}) == std::vector<Mount>{{"bind", "/r/snapshots/3/fs", "", {"rbind", "ro"}}});
  CHECK(layout.mounts(Kind::view, 7, {}) == std::vector<Mount>{{"bind", "/r/snapshots/7/fs", "", {"rbind", "ro"}}});
  // Nearest parent first, under the snapshot's own rw branch; dio and xino after the branches.
  CHECK(layout.mounts(Kind::active, 7, {3, 1}) ==
        std::vector<Mount>{{"aufs", "none", "",
                            {"br:/r/snapshots/7/fs=rw:/r/snapshots/3/fs=ro+wh:/r/snapshots/1/fs=ro+wh", "dio",
                             kXinoOption}}});
  CHECK(layout.mounts(Kind::active, 7, {3}) ==
        std::vector<Mount>{{"aufs", "none", "", {"br:/r/snapshots/7/fs=rw:/r/snapshots/3/fs=ro+wh", "dio", kXinoOption}}});
  // A view has no rw branch: every branch is read-only, whiteouts honoured.
  CHECK(layout.mounts(Kind::view, 7, {3, 1}) ==
        std::vector<Mount>{{"aufs", "none", "", {"br:/r/snapshots/3/fs=ro+wh:/r/snapshots/1/fs=ro+wh", "dio", kXinoOption}}});
  CHECK(errorFrom([&] { layout.mounts(Kind::committed, 7, {}); }).code() == TENON_FAILED_PRECONDITION);
  CHECK_FALSE(layout.hasWorkDir());
}

TEST_CASE("aufs: a chain longer than a page mounts what fits in br: and appends the rest by remount, in order") {
  AufsLayout layout(kDaemonRoot);
  // 6-digit ids: a host that has made 100000 snapshots since it was installed.
  std::vector<uint64_t> parents = chainIds(126, 100127);
  std::vector<Mount> mounts = layout.mounts(Kind::active, 100200, parents);

  // A branch is "<root>/snapshots/<id>/fs" (31 + 11 + 6 + 3 = 51 bytes) and
  // "=rw" or "=ro+wh"; the first mount's data is "br:" 3 + the rw branch 54 +
  // ":<ro branch>" 58 each + ",dio" 4 + ",xino=/dev/shm/aufs.xino" 24: so
  // (limit - 85) / 58 read-only branches fit (69 in a 4 KiB page), and each
  // of the other 57 is one remount.
  const size_t inFirst = (mountDataLimit() - 85) / 58;
  REQUIRE(inFirst < parents.size());
  REQUIRE(mounts.size() == 1 + parents.size() - inFirst);
  CHECK(mountData(mounts[0].options).size() == 85 + 58 * inFirst);
  CHECK(mountData(mounts[0].options).size() + 58 > mountDataLimit());  // the next one did not fit
  CHECK(mounts[0].options.at(1) == "dio");
  CHECK(mounts[0].options.at(2) == kXinoOption);
  for (size_t i = 1; i < mounts.size(); ++i) {
    CAPTURE(i);
    CHECK(mounts[i].type == "aufs");
    CHECK(mounts[i].source == "none");
    CHECK(mounts[i].target.empty());  // the same place as the first
    CHECK(mounts[i].options.at(0) == "remount");
  }

  std::vector<std::string> expected{kDaemonRoot + "/snapshots/100200/fs=rw"};
  for (uint64_t id : parents) expected.push_back(kDaemonRoot + "/snapshots/" + std::to_string(id) + "/fs=ro+wh");
  CHECK(stackedBranches(mounts) == expected);
}

TEST_CASE("aufs: br: takes branches up to the limit exactly, and one that cannot fit alone is refused") {
  std::vector<AufsBranch> branches{{"/a", true}, {"/b", false}, {"/c", false}, {"/d", false}};
  // "br:/a=rw:/b=ro+wh,dio,xino=/dev/shm/aufs.xino" is 3 + 5 + 9 + 4 + 24 = 45 bytes.
  std::vector<Mount> at45 = aufsMounts(branches, 45);
  CHECK(at45 == std::vector<Mount>{{"aufs", "none", "", {"br:/a=rw:/b=ro+wh", "dio", kXinoOption}},
                                   {"aufs", "none", "", {"remount", "append:/c=ro+wh"}},
                                   {"aufs", "none", "", {"remount", "append:/d=ro+wh"}}});
  CHECK(aufsMounts(branches, 44).size() == 4);
  CHECK(aufsMounts(branches, 4095).size() == 1);

  Error tooLong = errorFrom([] { aufsMounts({{"/" + std::string(5000, 'x'), true}}); });
  CHECK(tooLong.code() == TENON_RESOURCE_EXHAUSTED);
  CHECK(std::string(tooLong.what()).find("mount(2) takes") != std::string::npos);
  CHECK(errorFrom([] { aufsMounts({}); }).code() == TENON_INTERNAL);
}

TEST_CASE("aufs: a root that aufs options cannot carry is refused") {
  for (const char* root : {"/var/lib/a,b", "/var/lib/a:b", "/var/lib/a=b"}) {
    CAPTURE(root);
    Error e = errorFrom([&] { AufsLayout layout(root); });
    CHECK(e.code() == TENON_INVALID_ARGUMENT);
    CHECK(std::string(e.what()).find("aufs") != std::string::npos);
  }
  CHECK_NOTHROW(AufsLayout("/var/lib/tenon/snapshotter.aufs"));
}
