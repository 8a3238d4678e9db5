// Whether the kernel mounts a filesystem, as the snapshotter plugins decide it
// at init, and what a plugin whose filesystem is missing reports: the aufs
// plugin on a kernel without aufs (mainline kernels have none).
#include <doctest/doctest.h>

#include <string>

#include "snapshot-storage/kernel_support.hpp"
#include "snapshotter_fixture.hpp"

using namespace tenon;
using namespace tenon::snapshots::test;
using snapshot_storage::listsFilesystem;

namespace {

SnapshotterPlugin aufs() { return snapshotterPlugin("aufs"); }

}  // namespace

TEST_CASE("kernel support is read from /proc/filesystems lines") {
  std::string text = "nodev\tsysfs\nnodev\ttmpfs\n\text4\nnodev\toverlay\n";
  CHECK(listsFilesystem(text, "overlay"));
  CHECK(listsFilesystem(text, "ext4"));
  CHECK_FALSE(listsFilesystem(text, "aufs"));
  CHECK_FALSE(listsFilesystem(text, "overla"));
  CHECK_FALSE(listsFilesystem("", "overlay"));
}

TEST_CASE("aufs: init fails with exactly 'aufs is not supported by this kernel' where the kernel has no aufs") {
  Snapshotter s(aufs());  // init has tried modprobe by now, so the list is final
  if (listsFilesystem(snapshot_storage::readProcFilesystems(), "aufs")) {
    MESSAGE("this kernel has aufs: the aufs plugin loads");
    CHECK(s.loaded());
    return;
  }
  CHECK(s.loadError == "init failed: aufs is not supported by this kernel");
  CHECK(s.pluginSet->plugins()[0].name() == "snapshotter.aufs");
  CHECK_FALSE(stdfs::exists(s.root() / "metadata.db"));  // it made nothing on the way out
  CHECK_FALSE(stdfs::exists(s.root() / "snapshots"));
}
