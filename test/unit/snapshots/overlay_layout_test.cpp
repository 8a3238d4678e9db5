// The overlay snapshotter's Mount lists and the one-page limit on overlay
// options, computed for the daemon's real root (no mounting here; the
// conformance suite mounts).
#include <doctest/doctest.h>

#include <numeric>
#include <string>
#include <tenon/error.hpp>
#include <tenon/mount_options.hpp>
#include <vector>

#include "snapshot-overlay/overlay_layout.hpp"
#include "snapshotter_fixture.hpp"

using namespace tenon;
using namespace tenon::snapshot_overlay;
using snapshot_storage::Kind;
using tenon::snapshots::test::chainIds;
using tenon::snapshots::test::errorFrom;

namespace {

// The plugin root a daemon with the default root (/var/lib/tenon) gives it.
const std::string kDaemonRoot = "/var/lib/tenon/snapshotter.overlayfs";

}  // namespace

TEST_CASE("each kind of snapshot gets the mounts containerd's overlay snapshotter gives") {
  OverlayLayout layout("/r");
  CHECK(layout.mounts(Kind::active, 7, {}) == std::vector<Mount>{{"bind", "/r/snapshots/7/fs", "", {"rbind", "rw"}}});
  CHECK(layout.mounts(Kind::view, 7, {3}) == std::vector<Mount>{{"bind", "/r/snapshots/3/fs", "", {"rbind", "ro"}}});
  CHECK(layout.mounts(Kind::view, 7, {}) == std::vector<Mount>{{"bind", "/r/snapshots/7/fs", "", {"rbind", "ro"}}});
  CHECK(layout.mounts(Kind::active, 7, {3, 1}) ==
        std::vector<Mount>{{"overlay", "overlay", "",
                            {"index=off", "workdir=/r/snapshots/7/work", "upperdir=/r/snapshots/7/fs",
                             "lowerdir=/r/snapshots/3/fs:/r/snapshots/1/fs"}}});
  CHECK(layout.mounts(Kind::view, 7, {3, 1}) ==
        std::vector<Mount>{{"overlay", "overlay", "", {"index=off", "lowerdir=/r/snapshots/3/fs:/r/snapshots/1/fs"}}});
  CHECK(errorFrom([&] { layout.mounts(Kind::committed, 7, {}); }).code() == TENON_FAILED_PRECONDITION);
}

TEST_CASE("128 layers under the daemon's root fit a page only with lowerdirs relative to snapshots/") {
  OverlayLayout layout(kDaemonRoot);
  // 6-digit ids: a host that has made 100000 snapshots since it was installed.
  std::vector<Mount> mounts = layout.mounts(Kind::active, 100200, chainIds(128, 100127));
  REQUIRE(mounts.size() == 1);
  const std::vector<std::string>& options = mounts[0].options;

  // Absolute: each lowerdir is "<root>/snapshots/<id>/fs:", 36 + 11 + 6 + 3 + 1 = 57
  // bytes, so 128 of them take 7296: more than the page mount(2) copies. No
  // absolute scheme under this root can fit (even a 1-byte name per layer
  // costs 36 + 3 bytes, 4992 for 128), hence containerd's compaction.
  // Around the lowerdirs: "index=off," 10, "workdir=<root>/snapshots/100200/work," 67,
  // "upperdir=<root>/snapshots/100200/fs," 66, "lowerdir=" 9, minus the last ':'.
  std::string full = mountData(options);
  CHECK(full.size() > mountDataLimit());
  CHECK(full.size() == 10 + 67 + 66 + 9 + 128 * 57 - 1);

  // Relative to <root>/snapshots/: "<id>/fs:" is 10 bytes a layer.
  CompactOptions compact = compactLowerdir(options);
  CHECK(compact.chdir == kDaemonRoot + "/snapshots/");
  CHECK(compact.options.back().starts_with("lowerdir=100127/fs:100126/fs:"));
  CHECK(mountData(compact.options).size() == 10 + 67 + 66 + 9 + 128 * 10 - 1);
  CHECK(mountData(compact.options).size() <= mountDataLimit());
  CHECK(mountableDataLength(options) == mountData(compact.options).size());
}

TEST_CASE("a chain that cannot be mounted is refused with a clear error, never cut short") {
  OverlayLayout layout(kDaemonRoot);
  // overlay's own limit comes first with short ids...
  Error tooDeep = errorFrom([&] { layout.mounts(Kind::view, 1000, chainIds(kMaxLowerLayers + 1, 999)); });
  CHECK(tooDeep.code() == TENON_RESOURCE_EXHAUSTED);
  CHECK(std::string(tooDeep.what()).find("at most 500") != std::string::npos);
  CHECK_NOTHROW(layout.mounts(Kind::view, 1000, chainIds(kMaxLowerLayers, 999)));
  // ...the page with long ones: 450 layers of "<7 digits>/fs:" exceed 4095 bytes.
  Error tooLong = errorFrom([&] { layout.mounts(Kind::active, 9000000, chainIds(450, 8999999)); });
  CHECK(tooLong.code() == TENON_RESOURCE_EXHAUSTED);
  CHECK(std::string(tooLong.what()).find("mount(2) takes 4095") != std::string::npos);
}

TEST_CASE("compaction leaves options alone when it cannot help") {
  std::vector<std::string> one{"lowerdir=/a/b/fs"};
  CHECK(compactLowerdir(one).chdir.empty());
  std::vector<std::string> onlyRoot{"lowerdir=/a/fs:/b/fs"};
  CHECK(compactLowerdir(onlyRoot).chdir.empty());
  CHECK(compactLowerdir(onlyRoot).options == onlyRoot);
  std::vector<std::string> shared{"index=off", "lowerdir=/s/12/fs:/s/1/fs"};
  CHECK(compactLowerdir(shared).chdir == "/s/");
  CHECK(compactLowerdir(shared).options == std::vector<std::string>{"index=off", "lowerdir=12/fs:1/fs"});
}

TEST_CASE("a root that overlay options cannot carry is refused") {
  CHECK(errorFrom([] { OverlayLayout("/var/lib/a,b"); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([] { OverlayLayout("/var/lib/a:b"); }).code() == TENON_INVALID_ARGUMENT);
}
