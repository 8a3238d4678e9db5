// Snapshotter conformance, real mounts: chains of 1, 2 and 128 layers (or
// as deep as the filesystem stacks by default: SnapshotterPlugin::deepChain); a
// child's files replace, delete (whiteout) and hide (opaque directory) its
// parents', as seen through the mount; views are read-only; usage counts a
// layer's own bytes. Runs against every snapshotter plugin.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>

#include "snapshotter_fixture.hpp"

using namespace tenon;
using namespace tenon::snapshots;
using namespace tenon::snapshots::test;

namespace {

// Commits `layers` layers on `parent`, layer i adding "layer-<i>" and
// rewriting "top"; returns the last layer's name.
std::string commitChain(const Snapshotter& s, int layers, const std::string& prefix) {
  std::string parent;
  for (int i = 0; i < layers; ++i) {
    std::string name = prefix + std::to_string(i);
    s.commitLayer(name, parent, [&](const stdfs::path& root) {
      writeFile(root / ("layer-" + std::to_string(i)), std::to_string(i));
      writeFile(root / "top", std::to_string(i));
    });
    parent = name;
  }
  return parent;
}

void checkChainVisible(const stdfs::path& root, int layers) {
  for (int i = 0; i < layers; ++i) CHECK(readFile(root / ("layer-" + std::to_string(i))) == std::to_string(i));
  CHECK(readFile(root / "top") == std::to_string(layers - 1));
}

// Marks `name` in the layer `dir` deleted, as unpack writes an OCI whiteout for `plugin`'s filesystem.
void writeWhiteout(const SnapshotterPlugin& plugin, const stdfs::path& dir, const std::string& name) {
  if (plugin.whiteouts == Whiteouts::aufs) return writeFile(dir / (".wh." + name), "");
  REQUIRE(::mknod((dir / name).c_str(), S_IFCHR | 0600, ::makedev(0, 0)) == 0);
}

// Marks the directory `dir` of a layer opaque: what lies under it in the parents is hidden.
void markOpaque(const SnapshotterPlugin& plugin, const stdfs::path& dir) {
  if (plugin.whiteouts == Whiteouts::aufs) return writeFile(dir / ".wh..wh..opq", "");
  REQUIRE(::setxattr(dir.c_str(), "trusted.overlay.opaque", "y", 1, 0) == 0);
}

// errno of creating a file in `dir`, 0 when it worked.
int createError(const stdfs::path& dir) {
  int fd = ::open((dir / "new-file").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  ::close(fd);
  return 0;
}

}  // namespace

TEST_CASE("conformance: chains of 1, 2 and 128 layers (126 for aufs) mount with every layer visible, nearest on top") {
  forEachSnapshotter([](Snapshotter& s) {
    for (int layers : {1, 2, s.plugin.deepChain}) {
      CAPTURE(layers);
      std::string prefix = "chain" + std::to_string(layers) + "-";
      std::string last = commitChain(s, layers, prefix);
      {
        ScopedMounts active(s.table().prepare(prefix + "work", last), s.mountPoint(prefix + "work"));
        checkChainVisible(active.root(), layers);
        writeFile(active.root() / "top", "mine");
        CHECK(readFile(active.root() / "top") == "mine");
      }
      ScopedMounts view(s.table().view(prefix + "view", last), s.mountPoint(prefix + "view"));
      checkChainVisible(view.root(), layers);  // the active's write stayed in the active
    }
  });
}

TEST_CASE("conformance: a child's files replace, whiteouts delete and opaque dirs hide the parent's") {
  forEachSnapshotter([](Snapshotter& s) {
    s.commitLayer("base", "", [](const stdfs::path& root) {
      writeFile(root / "replaced", "parent");
      writeFile(root / "whited-out", "parent");
      writeFile(root / "deleted-through-mount", "parent");
      stdfs::create_directories(root / "opaque");
      writeFile(root / "opaque" / "hidden", "parent");
      stdfs::create_directories(root / "merged");
      writeFile(root / "merged" / "kept", "parent");
    });
    // What unpack does: write the layer into the upper, with OCI whiteouts
    // and opaque markers in the filesystem's own form.
    std::vector<Mount> mounts = s.table().prepare("child-active", "base");
    stdfs::path upper = upperOf(mounts);
    writeFile(upper / "replaced", "child");
    writeWhiteout(s.plugin, upper, "whited-out");
    stdfs::create_directories(upper / "opaque");
    markOpaque(s.plugin, upper / "opaque");
    writeFile(upper / "opaque" / "own", "child");
    stdfs::create_directories(upper / "merged");
    writeFile(upper / "merged" / "added", "child");
    {
      ScopedMounts m(mounts, s.mountPoint("child-active"));
      stdfs::remove(m.root() / "deleted-through-mount");  // the kernel writes the whiteout
    }
    s.table().commit("child", "child-active");

    for (const char* kind : {"view", "active"}) {
      CAPTURE(kind);
      std::string key = std::string("look-") + kind;
      std::vector<Mount> look = kind == std::string("view") ? s.table().view(key, "child") : s.table().prepare(key, "child");
      ScopedMounts m(look, s.mountPoint(key));
      CHECK(readFile(m.root() / "replaced") == "child");
      CHECK_FALSE(stdfs::exists(m.root() / "whited-out"));
      CHECK_FALSE(stdfs::exists(m.root() / "deleted-through-mount"));
      CHECK_FALSE(stdfs::exists(m.root() / "opaque" / "hidden"));
      CHECK(readFile(m.root() / "opaque" / "own") == "child");
      CHECK(readFile(m.root() / "merged" / "kept") == "parent");
      CHECK(readFile(m.root() / "merged" / "added") == "child");
    }
  });
}

TEST_CASE("conformance: views are read-only, one layer or many (EROFS)") {
  forEachSnapshotter([](Snapshotter& s) {
    s.commitLayer("l1", "", [](const stdfs::path& root) { writeFile(root / "a", "1"); });
    s.commitLayer("l2", "l1", [](const stdfs::path& root) { writeFile(root / "b", "2"); });
    for (const char* parent : {"l1", "l2"}) {
      CAPTURE(parent);
      std::string key = std::string("view-of-") + parent;
      ScopedMounts m(s.table().view(key, parent), s.mountPoint(key));
      CHECK(readFile(m.root() / "a") == "1");
      CHECK(createError(m.root()) == EROFS);
      CHECK(::unlink((m.root() / "a").c_str()) == -1);
      CHECK(errno == EROFS);
    }
    ScopedMounts empty(s.table().view("empty-view", ""), s.mountPoint("empty-view"));
    CHECK(createError(empty.root()) == EROFS);
  });
}

TEST_CASE("conformance: usage counts a layer's own allocated bytes and inodes, hard links once") {
  forEachSnapshotter([](Snapshotter& s) {
    constexpr int64_t kMiB = 1 << 20;
    s.table().prepare("empty", "");
    CHECK(s.table().usage("empty").inodes == 0);
    CHECK(s.table().usage("empty").sizeBytes == 0);
    s.commitLayer("big", "", [&](const stdfs::path& root) {
      stdfs::create_directories(root / "dir");
      writeFile(root / "dir" / "data", std::string(kMiB, 'x'));
      stdfs::create_hard_link(root / "dir" / "data", root / "link");
    });
    SnapshotUsage big = s.table().usage("big");
    CHECK(big.inodes == 2);  // dir, and data once for its two names
    CHECK(big.sizeBytes >= kMiB);
    CHECK(big.sizeBytes < kMiB + 64 * 1024);

    s.commitLayer("small", "big", [](const stdfs::path& root) { writeFile(root / "note", "hi"); });
    SnapshotUsage small = s.table().usage("small");  // not its parent's megabyte
    CHECK(small.inodes == 1);
    CHECK(small.sizeBytes < 64 * 1024);
  });
}
