// Applying layer tars into a directory as unpack does for a snapshot: every
// file type and its metadata, and the whiteouts of each style.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <tenon/error.hpp>
#include <sstream>

#include "layer_tar.hpp"
#include "unpack/layer_applier.hpp"
#include "unpack/layer_stream.hpp"

using namespace tenon;
using namespace tenon::unpack;
using namespace tenon::unpack::test;

namespace {

AppliedLayer apply(const LayerTarget& target, const std::vector<TarEntry>& entries) {
  std::string tar = makeTar(entries);
  std::size_t offset = 0;
  return applyLayer(target, [&](void* buffer, std::size_t max) {
    std::size_t n = std::min(max, tar.size() - offset);
    std::memcpy(buffer, tar.data() + offset, n);
    offset += n;
    return n;
  });
}

struct stat lstatOf(const stdfs::path& path) {
  struct stat st {};
  REQUIRE_MESSAGE(::lstat(path.c_str(), &st) == 0, path);
  return st;
}

std::string contentOf(const stdfs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string xattrOf(const stdfs::path& path, const char* name) {
  char value[256];
  ssize_t n = ::lgetxattr(path.c_str(), name, value, sizeof value);
  return n < 0 ? "" : std::string(value, static_cast<std::size_t>(n));
}

bool isOverlayWhiteout(const stdfs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == ::makedev(0, 0);
}

}  // namespace

TEST_CASE("files, directories, links, devices and FIFOs are created with their owners, modes and times") {
  ScratchDir root;
  TarEntry tool = file("usr/bin/tool", "#!/bin/sh\necho hi\n", 04755);
  tool.uid = 1000;
  tool.gid = 2000;
  tool.mtime = 1234567890;
  TarEntry sticky = dir("tmp", 01777);
  sticky.mtime = 1111111111;
  TarEntry owned = dir("home/user", 0700);
  owned.uid = 1000;
  owned.mtime = 1222222222;
  TarEntry link = symLink("bin", "usr/bin");
  link.uid = 7;
  AppliedLayer applied = apply({root.path().string(), WhiteoutStyle::none, {}},
                               {dir("usr"), dir("usr/bin"), tool, link, hardLink("usr/bin/tool2", "usr/bin/tool"),
                                sticky, owned, file("home/user/.profile", "x"), node("dev/null", S_IFCHR, 1, 3),
                                node("dev/sda", S_IFBLK, 8, 0), node("run/fifo", S_IFIFO)});
  CHECK(applied.entries == 11);

  struct stat st = lstatOf(root / "usr/bin/tool");
  CHECK(S_ISREG(st.st_mode));
  CHECK((st.st_mode & 07777) == 04755);  // setuid survives the chown that would clear it
  CHECK(st.st_uid == 1000);
  CHECK(st.st_gid == 2000);
  CHECK(st.st_mtim.tv_sec == 1234567890);
  CHECK(contentOf(root / "usr/bin/tool") == "#!/bin/sh\necho hi\n");
  CHECK(lstatOf(root / "usr/bin/tool2").st_ino == st.st_ino);

  struct stat l = lstatOf(root / "bin");
  CHECK(S_ISLNK(l.st_mode));
  CHECK(l.st_uid == 7);
  CHECK(stdfs::read_symlink(root / "bin") == "usr/bin");

  CHECK((lstatOf(root / "tmp").st_mode & 07777) == 01777);
  CHECK(lstatOf(root / "tmp").st_mtim.tv_sec == 1111111111);
  // Set after ".profile" was written into it.
  CHECK(lstatOf(root / "home/user").st_mtim.tv_sec == 1222222222);
  CHECK(lstatOf(root / "home/user").st_uid == 1000);
  CHECK((lstatOf(root / "home").st_mode & 07777) == 0755);  // left out of the tar: made 0755

  CHECK(S_ISCHR(lstatOf(root / "dev/null").st_mode));
  CHECK(lstatOf(root / "dev/null").st_rdev == ::makedev(1, 3));
  CHECK(S_ISBLK(lstatOf(root / "dev/sda").st_mode));
  CHECK(S_ISFIFO(lstatOf(root / "run/fifo").st_mode));
  CHECK((lstatOf(root / "run/fifo").st_mode & 07777) == 0600);
}

TEST_CASE("user.* and security.capability xattrs are applied; other namespaces are left out") {
  ScratchDir root;
  TarEntry ping = file("bin/ping", "elf", 0755);
  std::string capability("\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20);
  ping.xattrs = {{"user.origin", "debian"}, {"security.capability", capability}, {"trusted.other", "x"}};
  apply({root.path().string(), WhiteoutStyle::none, {}}, {ping});
  CHECK(xattrOf(root / "bin/ping", "user.origin") == "debian");
  CHECK(xattrOf(root / "bin/ping", "security.capability") == capability);
  CHECK(xattrOf(root / "bin/ping", "trusted.other").empty());
}

TEST_CASE("a later entry replaces an earlier one; two directories merge") {
  ScratchDir root;
  apply({root.path().string(), WhiteoutStyle::none, {}},
        {file("a", "first"), file("a", "second"), dir("d"), file("d/keep", "k"), dir("d", 0700), symLink("s", "a"),
         file("s", "no longer a link"), dir("gone"), file("gone/x", "x"), file("gone", "now a file")});
  CHECK(contentOf(root / "a") == "second");
  CHECK(contentOf(root / "d/keep") == "k");
  CHECK((lstatOf(root / "d").st_mode & 07777) == 0700);
  CHECK(S_ISREG(lstatOf(root / "s").st_mode));
  CHECK(contentOf(root / "gone") == "now a file");
}

TEST_CASE("sparse files keep their holes and length") {
  ScratchDir root;
  ScratchDir source;
  {
    std::ofstream out(source / "sparse");
    out.seekp(10 << 20);
    out << "end";
  }
  // tar --sparse writes the GNU sparse map; libarchive reads it back as blocks at offsets.
  std::string tarPath = (source / "sparse.tar").string();
  REQUIRE(std::system(("tar --sparse -C " + source.path().string() + " -cf " + tarPath + " sparse").c_str()) == 0);
  std::string tar = contentOf(tarPath);
  std::size_t offset = 0;
  applyLayer({root.path().string(), WhiteoutStyle::none, {}}, [&](void* buffer, std::size_t max) {
    std::size_t n = std::min(max, tar.size() - offset);
    std::memcpy(buffer, tar.data() + offset, n);
    offset += n;
    return n;
  });
  struct stat st = lstatOf(root / "sparse");
  CHECK(st.st_size == (10 << 20) + 3);
  CHECK(st.st_blocks * 512 < (1 << 20));
}

TEST_CASE("overlay whiteouts: .wh.NAME becomes a 0/0 character device, .wh..wh..opq the opaque xattr") {
  ScratchDir lower, upper;
  stdfs::create_directories(lower / "etc/conf.d");
  stdfs::permissions(lower / "etc", stdfs::perms(0750));
  REQUIRE(::chown((lower / "etc").c_str(), 0, 42) == 0);
  TarEntry whiteout = file("etc/.wh.motd", "");
  whiteout.uid = 5;
  apply({upper.path().string(), WhiteoutStyle::overlay, {lower.path().string()}},
        {whiteout, file("etc/conf.d/.wh..wh..opq", ""), file("etc/conf.d/new", "n"), file("mine", "m"),
         file(".wh.mine", ""), file(".wh..wh.plnk", "")});
  CHECK(isOverlayWhiteout(upper / "etc/motd"));
  CHECK(lstatOf(upper / "etc/motd").st_uid == 5);
  CHECK(xattrOf(upper / "etc/conf.d", "trusted.overlay.opaque") == "y");
  CHECK(contentOf(upper / "etc/conf.d/new") == "n");
  CHECK_FALSE(stdfs::exists(upper / "etc/.wh.motd"));
  CHECK_FALSE(stdfs::exists(upper / "etc/conf.d/.wh..wh..opq"));
  // A whiteout hides the layers below only: this layer's own "mine" stays.
  CHECK(contentOf(upper / "mine") == "m");
  CHECK_FALSE(stdfs::exists(upper / ".wh..wh.plnk"));
  // "etc" was left out of the tar: made with the lower directory's mode and owner.
  CHECK((lstatOf(upper / "etc").st_mode & 07777) == 0750);
  CHECK(lstatOf(upper / "etc").st_gid == 42);
}

TEST_CASE("aufs keeps the OCI markers as its own whiteout files; a parentless layer drops them") {
  ScratchDir aufs, bind;
  std::vector<TarEntry> entries{file("etc/.wh.motd", ""), file("var/.wh..wh..opq", ""), file("etc/hosts", "h")};
  apply({aufs.path().string(), WhiteoutStyle::aufs, {}}, entries);
  CHECK(S_ISREG(lstatOf(aufs / "etc/.wh.motd").st_mode));
  CHECK(S_ISREG(lstatOf(aufs / "var/.wh..wh..opq").st_mode));

  apply({bind.path().string(), WhiteoutStyle::none, {}}, entries);
  CHECK(contentOf(bind / "etc/hosts") == "h");
  CHECK_FALSE(stdfs::exists(bind / "etc/.wh.motd"));
  CHECK_FALSE(stdfs::exists(bind / "etc/motd"));
  CHECK_FALSE(stdfs::exists(bind / "var"));
}

TEST_CASE("the target comes from the snapshot's mounts: bind source, overlay upperdir, aufs rw branch") {
  LayerTarget bind = layerTarget({{"bind", "/s/1/fs", "", {"rbind", "rw"}}}, false);
  CHECK(bind.root == "/s/1/fs");
  CHECK(bind.whiteouts == WhiteoutStyle::none);
  LayerTarget overlay = layerTarget(
      {{"overlay", "overlay", "", {"index=off", "workdir=/s/3/work", "upperdir=/s/3/fs", "lowerdir=/s/2/fs:/s/1/fs"}}},
      true);
  CHECK(overlay.root == "/s/3/fs");
  CHECK(overlay.whiteouts == WhiteoutStyle::overlay);
  CHECK(overlay.lowers == std::vector<std::string>{"/s/2/fs", "/s/1/fs"});
  LayerTarget aufs = layerTarget({{"aufs", "none", "", {"br:/s/3/fs=rw:/s/2/fs=ro+wh:/s/1/fs=ro+wh"}}}, true);
  CHECK(aufs.root == "/s/3/fs");
  CHECK(aufs.whiteouts == WhiteoutStyle::aufs);
  CHECK(aufs.lowers == std::vector<std::string>{"/s/2/fs", "/s/1/fs"});
  CHECK_THROWS_AS(layerTarget({{"bind", "/s/1/fs", "", {"rbind", "rw"}}}, true), Error);
  CHECK_THROWS_AS(layerTarget({{"overlay", "overlay", "", {"lowerdir=/a:/b"}}}, true), Error);
}
