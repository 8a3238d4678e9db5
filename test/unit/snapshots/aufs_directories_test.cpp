// The aufs snapshotter on disk, driven in-process (no plugin init, so no
// kernel check and no mounting: it runs where aufs is missing): one
// snapshots/<id>/fs per snapshot and no work directory, the mounts naming
// exactly those directories, records that survive a reopen, and usage that
// leaves aufs's own bookkeeping out.
#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "snapshot-aufs/aufs_layout.hpp"
#include "snapshot-storage/directory_snapshotter.hpp"
#include "snapshotter_fixture.hpp"

using namespace tenon;
using namespace tenon::snapshot_aufs;
using namespace tenon::snapshot_storage;
using tenon::snapshots::test::writeFile;

namespace {

namespace stdfs = std::filesystem;

// A private directory, removed with all it holds even when what uses it failed to construct.
struct TempDir {
  stdfs::path path;
  TempDir() {
    char tmpl[] = "/tmp/tenon-aufs-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ignored;
    stdfs::remove_all(path, ignored);
  }
};

struct AufsOnDisk {
  TempDir dir;  // first in, last out: outlives the snapshotter using it
  std::vector<std::string> warnings;
  std::unique_ptr<DirectorySnapshotter> snapshotter;

  AufsOnDisk() {
    stdfs::create_directory(root());  // the core makes each plugin's root before init
    open();
  }
  // As the plugin's init does, minus the kernel check; again on the same root to reopen.
  void open() {
    snapshotter.reset();
    snapshotter = std::make_unique<DirectorySnapshotter>(
        std::make_unique<AufsLayout>(root()), [this](const std::string& m) { warnings.push_back(m); });
  }
  stdfs::path root() const { return dir.path / "snapshotter.aufs"; }
  stdfs::path snapshots() const { return root() / "snapshots"; }
};

std::set<std::string> entries(const stdfs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : stdfs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

}  // namespace

TEST_CASE("aufs: each snapshot is snapshots/<id>/fs, without a work directory, and its mounts name it") {
  AufsOnDisk aufs;
  DirectorySnapshotter& s = *aufs.snapshotter;
  s.prepare("a", "", {});
  s.commit("base", "a", {});
  std::vector<Mount> active = s.prepare("active", "base", {});
  std::vector<Mount> view = s.view("v", "base", {});

  CHECK(stdfs::is_directory(aufs.root() / "metadata.db"));
  CHECK(entries(aufs.snapshots()) == std::set<std::string>{"1", "2", "3"});
  for (const char* id : {"1", "2", "3"}) {
    CAPTURE(id);
    CHECK(entries(aufs.snapshots() / id) == std::set<std::string>{"fs"});  // aufs needs no workdir
  }
  std::string fs1 = (aufs.snapshots() / "1" / "fs").string(), fs2 = (aufs.snapshots() / "2" / "fs").string();
  CHECK(active == std::vector<Mount>{{"aufs", "none", "", {"br:" + fs2 + "=rw:" + fs1 + "=ro+wh", "dio",
                                                           "xino=/dev/shm/aufs.xino"}}});
  CHECK(view == std::vector<Mount>{{"bind", fs1, "", {"rbind", "ro"}}});

  s.remove("v");
  s.remove("active");
  CHECK(entries(aufs.snapshots()) == std::set<std::string>{"1"});
  s.remove("base");
  CHECK(entries(aufs.snapshots()).empty());
  CHECK(aufs.warnings.empty());
}

TEST_CASE("aufs: a reopened snapshotter keeps the chain and hands out the same mounts") {
  AufsOnDisk aufs;
  aufs.snapshotter->prepare("a", "", {});
  aufs.snapshotter->commit("l1", "a", {});
  aufs.snapshotter->prepare("b", "l1", {});
  aufs.snapshotter->commit("l2", "b", {});
  std::vector<Mount> before = aufs.snapshotter->prepare("work", "l2", {{"k", "v"}});
  aufs.open();
  CHECK(aufs.snapshotter->mounts("work") == before);
  CHECK(aufs.snapshotter->stat("work").labels == Labels{{"k", "v"}});
  CHECK(aufs.snapshotter->stat("l2").parent == "l1");
}

TEST_CASE("aufs: usage counts the layer's content, not aufs's bookkeeping at its top") {
  AufsOnDisk aufs;
  aufs.snapshotter->prepare("a", "", {});
  aufs.snapshotter->commit("base", "a", {});
  aufs.snapshotter->prepare("child", "base", {});
  stdfs::path fs = aufs.snapshots() / "2" / "fs";
  // What aufs writes into an rw branch when it is mounted.
  writeFile(fs / ".wh..wh.aufs", "");
  stdfs::create_directories(fs / ".wh..wh.plnk" / "x");
  stdfs::create_directories(fs / ".wh..wh.orph");
  // The layer's own: a file, a whiteout and an opaque directory.
  writeFile(fs / "file", "data");
  writeFile(fs / ".wh.deleted", "");
  stdfs::create_directories(fs / "opaque");
  writeFile(fs / "opaque" / ".wh..wh..opq", "");
  CHECK(aufs.snapshotter->usage("child").inodes == 4);
}
