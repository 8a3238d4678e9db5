// Hostile layers (REFERENCE.md's table, the docker 2014 and containerd
// breakouts, CVE-2021-32760): each is refused with an error naming the entry,
// or contained in the root; a sentinel directory next to the root stays
// exactly as it was.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <tenon/error.hpp>

#include "layer_tar.hpp"
#include "unpack/layer_applier.hpp"

using namespace tenon;
using namespace tenon::unpack;
using namespace tenon::unpack::test;

namespace {

// A root to unpack into, and beside it a sentinel directory with a file whose
// content, mode and times are recorded up front.
struct Scene {
  ScratchDir dir;
  stdfs::path root = dir / "root";
  stdfs::path outside = dir / "outside";
  std::map<std::string, std::string> before;

  Scene() {
    stdfs::create_directories(root);
    stdfs::create_directories(outside);
    std::ofstream(outside / "passwd") << "root:x:0:0::/root:/bin/sh\n";
    REQUIRE(::chmod((outside / "passwd").c_str(), 0644) == 0);
    before = snapshot();
  }

  // Every path under the sentinel with its type, mode, size and mtime.
  std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> out;
    for (const auto& entry : stdfs::recursive_directory_iterator(dir.path())) {
      if (entry.path().string().starts_with(root.string())) continue;
      struct stat st {};
      REQUIRE(::lstat(entry.path().c_str(), &st) == 0);
      out[entry.path().string()] = std::to_string(st.st_mode) + "/" + std::to_string(st.st_size) + "/" +
                                   std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
    }
    return out;
  }

  std::string apply(const std::vector<TarEntry>& entries, WhiteoutStyle style = WhiteoutStyle::none) const {
    std::string tar = makeTar(entries);
    std::size_t offset = 0;
    try {
      applyLayer({root.string(), style, {}}, [&](void* buffer, std::size_t max) {
        std::size_t n = std::min(max, tar.size() - offset);
        std::memcpy(buffer, tar.data() + offset, n);
        offset += n;
        return n;
      });
    } catch (const Error& e) {
      CHECK(e.code() == TENON_INVALID_ARGUMENT);
      return e.what();
    }
    return "";
  }

  void checkUntouched() const { CHECK(snapshot() == before); }
};

// The entries of a hostile layer, given the sentinel directory's path.
using Hostile = std::function<std::vector<TarEntry>(const std::string& outside)>;

// Applies the layer in a fresh scene: refused, naming `entry`, for `why`, in one line; the sentinel untouched.
void checkRefused(const Hostile& layer, const std::string& entry, const std::string& why,
                  WhiteoutStyle style = WhiteoutStyle::none) {
  Scene scene;
  std::string error = scene.apply(layer(scene.outside.string()), style);
  CHECK_MESSAGE(error.find("entry \"" + entry + "\" refused") != std::string::npos, error);
  CHECK_MESSAGE(error.find(why) != std::string::npos, error);
  CHECK(error.find('\n') == std::string::npos);
  scene.checkUntouched();
}

void checkRefused(const std::vector<TarEntry>& layer, const std::string& entry, const std::string& why,
                  WhiteoutStyle style = WhiteoutStyle::none) {
  checkRefused([&](const std::string&) { return layer; }, entry, why, style);
}

}  // namespace

TEST_CASE("names that climb out of the root with .. are refused") {
  checkRefused({file("../escape", "x")}, "../escape", "climbs out of the layer's root");
  checkRefused({dir("a"), file("a/../../escape", "x")}, "a/../../escape", "climbs out");
  checkRefused({file("/../../x", "x")}, "/../../x", "climbs out");
}

TEST_CASE("absolute and ./ names are relative to the root, as containerd joins them") {
  Scene scene;
  CHECK(scene.apply({file("/abs", "a"), file("./dot/./x", "d"), file("a//b", "b"), dir("./")}).empty());
  CHECK(stdfs::is_regular_file(scene.root / "abs"));
  CHECK(stdfs::is_regular_file(scene.root / "dot/x"));
  CHECK(stdfs::is_regular_file(scene.root / "a/b"));
  scene.checkUntouched();
}

TEST_CASE("writing through a symlinked parent is refused, wherever the link points") {
  checkRefused(
      [](const std::string& outside) { return std::vector{symLink("etc", outside), file("etc/passwd", "pwned")}; },
      "etc/passwd", "passes through a symlink");
  checkRefused({symLink("etc", "../../outside"), file("etc/passwd", "pwned")}, "etc/passwd",
               "passes through a symlink");
  checkRefused({symLink("up", ".."), file("up/escape", "x")}, "up/escape", "passes through a symlink");
  checkRefused({symLink("rootlink", "/"), dir("rootlink/tmp")}, "rootlink/tmp", "passes through a symlink");
  // A directory replaced by a symlink, then a file under it.
  checkRefused(
      [](const std::string& outside) {
        return std::vector{dir("d"), file("d/ok", "ok"), symLink("d", outside), file("d/passwd", "pwned")};
      },
      "d/passwd", "passes through a symlink");
}

TEST_CASE("an entry over a symlink replaces the link; the file it pointed to keeps its mode (CVE-2021-32760)") {
  Scene scene;
  std::string target = (scene.outside / "passwd").string();
  CHECK(scene.apply({symLink("passwd", target), file("passwd", "mine", 04777)}).empty());
  CHECK(stdfs::is_regular_file(stdfs::symlink_status(scene.root / "passwd")));
  scene.checkUntouched();
}

TEST_CASE("hard links reach only entries inside the layer") {
  checkRefused({hardLink("x", "/etc/passwd")}, "x", "its hard link target \"etc/passwd\" is not in the layer");
  checkRefused({hardLink("x", "../../../../etc/passwd")}, "x", "climbs out");
  checkRefused([](const std::string& outside) { return std::vector{symLink("l", outside), hardLink("x", "l/passwd")}; },
               "x", "passes through a symlink");
  checkRefused({dir("d"), hardLink("x", "d")}, "x", "is a directory");

  // A hard link to a symlink that points out links the symlink itself.
  Scene scene;
  CHECK(scene.apply({symLink("s", scene.outside.string() + "/passwd"), hardLink("h", "s")}).empty());
  CHECK(stdfs::is_symlink(scene.root / "h"));
  scene.checkUntouched();
}

TEST_CASE("bad whiteouts are refused in every style") {
  for (WhiteoutStyle style : {WhiteoutStyle::none, WhiteoutStyle::overlay, WhiteoutStyle::aufs}) {
    CAPTURE(static_cast<int>(style));
    checkRefused({file(".wh..", "")}, ".wh..", "invalid whiteout", style);
    checkRefused({file(".wh...", "")}, ".wh...", "invalid whiteout", style);
    checkRefused({dir("etc"), file("etc/.wh..", "")}, "etc/.wh..", "invalid whiteout", style);
    checkRefused({file("etc/.wh.", "")}, "etc/.wh.", "invalid whiteout", style);
  }
}

TEST_CASE("an overlay whiteout through a symlinked parent is refused") {
  checkRefused([](const std::string& outside) { return std::vector{symLink("l", outside), file("l/.wh.passwd", "")}; },
               "l/.wh.passwd", "passes through a symlink", WhiteoutStyle::overlay);
  checkRefused(
      [](const std::string& outside) { return std::vector{symLink("l", outside), file("l/.wh..wh..opq", "")}; },
      "l/.wh..wh..opq", "passes through a symlink", WhiteoutStyle::overlay);
}

TEST_CASE("xattrs that would forge overlayfs metadata are refused") {
  TarEntry forged = dir("d");
  forged.xattrs = {{"trusted.overlay.opaque", "y"}};
  checkRefused({forged}, "d", "would forge overlayfs metadata", WhiteoutStyle::overlay);
  TarEntry redirect = file("f", "x");
  redirect.xattrs = {{"user.overlay.redirect", "/etc"}};
  checkRefused({redirect}, "f", "would forge overlayfs metadata");
}

TEST_CASE("owners the kernel cannot store are refused") {
  TarEntry minusOne = file("f", "x");
  minusOne.uid = 4294967295;  // (uid_t)-1: chown would leave the file root's
  checkRefused({minusOne}, "f", "uid 4294967295 is outside");
  TarEntry huge = file("g", "x");
  huge.gid = std::int64_t{1} << 40;
  checkRefused({huge}, "g", "gid");
}

TEST_CASE("a declared size longer than the body is a truncated tar, not a short file") {
  std::string tar = makeTar({file("big", std::string(100000, 'x'))});
  tar.resize(20000);
  Scene scene;
  std::size_t offset = 0;
  try {
    applyLayer({scene.root.string(), WhiteoutStyle::none, {}}, [&](void* buffer, std::size_t max) {
      std::size_t n = std::min(max, tar.size() - offset);
      std::memcpy(buffer, tar.data() + offset, n);
      offset += n;
      return n;
    });
    FAIL("a truncated tar was applied");
  } catch (const Error& e) {
    CHECK(e.code() == TENON_INVALID_ARGUMENT);
    CHECK_MESSAGE(std::string(e.what()).find("\"big\"") != std::string::npos, e.what());
  }
  scene.checkUntouched();
}

TEST_CASE("names longer than the kernel takes are refused naming the entry") {
  std::string longName(300, 'n');
  Scene scene;
  std::string error = scene.apply({file(longName, "x")});
  CHECK_MESSAGE(error.find("File name too long") != std::string::npos, error);
  CHECK(error.find("entry \"nnnn") != std::string::npos);
  scene.checkUntouched();
}
