// ctr snapshots against tenond with the in-tree overlayfs snapshotter, through
// real mounts: the `mount ...` lines ctr prints run in a shell.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "snapshot_fixture.hpp"

using namespace tenon::test;

namespace {

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  REQUIRE(out.good());
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("a file written through a prepared snapshot's mount is seen through its child's after commit") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();
  TempDir dir{"tenon-snapshot-mnt"};
  std::filesystem::create_directory(dir / "base");
  std::filesystem::create_directory(dir / "child");

  ctrOk(daemon, {"snapshots", "prepare", "base-active"});
  {
    ShellMount mount(daemon, dir / "base", "base-active");
    writeFile(dir / "base/hello.txt", "hello from the base\n");
  }
  CHECK_FALSE(isMountPoint(dir / "base"));
  ctrOk(daemon, {"snapshots", "commit", "base", "base-active"});
  ctrOk(daemon, {"snapshots", "prepare", "child", "base"});

  ProcessResult ls = ctrOk(daemon, {"snapshots", "ls", "-q"});
  CHECK(ls.out == "base\nchild\n");
  ProcessResult info = ctrOk(daemon, {"snapshots", "info", "child"});
  CHECK(info.out.find("\"parent\": \"base\"") != std::string::npos);
  CHECK(info.out.find("\"kind\": \"Active\"") != std::string::npos);

  {
    ShellMount mount(daemon, dir / "child", "child");
    CHECK(readFile(dir / "child/hello.txt") == "hello from the base\n");
    writeFile(dir / "child/mine.txt", "the child's own\n");
  }

  ProcessResult usage = ctrOk(daemon, {"snapshots", "usage", "base"});
  CHECK(usage.out.find("base") != std::string::npos);
  ProcessResult labelled = ctrOk(daemon, {"snapshots", "label", "child", "purpose=test"});
  CHECK(labelled.out.find("purpose=test") != std::string::npos);

  ctrOk(daemon, {"snapshots", "rm", "child"});
  ctrOk(daemon, {"snapshots", "rm", "base"});
  CHECK(ctrOk(daemon, {"snapshots", "ls", "-q"}).out.empty());
}

TEST_CASE("the same key in two namespaces names two independent snapshots") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();
  TempDir dir{"tenon-snapshot-mnt"};
  std::filesystem::create_directory(dir / "a");
  std::filesystem::create_directory(dir / "b");

  ctrOk(daemon, {"-n", "one", "snapshots", "prepare", "shared"});
  ctrOk(daemon, {"-n", "two", "snapshots", "prepare", "shared"});
  {
    ShellMount one(daemon, dir / "a", "shared", "one");
    ShellMount two(daemon, dir / "b", "shared", "two");
    writeFile(dir / "a/only-in-one", "1");
    CHECK_FALSE(std::filesystem::exists(dir / "b/only-in-one"));
  }
  ctrOk(daemon, {"-n", "one", "snapshots", "rm", "shared"});
  CHECK(ctrOk(daemon, {"-n", "one", "snapshots", "ls", "-q"}).out.empty());
  CHECK(ctrOk(daemon, {"-n", "two", "snapshots", "ls", "-q"}).out == "shared\n");
  // A parent is looked up in the request's namespace only.
  ctrOk(daemon, {"-n", "two", "snapshots", "commit", "layer", "shared"});
  ProcessResult elsewhere = runCtr(daemon.address(), {"-n", "one", "snapshots", "prepare", "x", "layer"});
  CHECK(elsewhere.status.code != 0);
  CHECK(elsewhere.err.find("not found") != std::string::npos);
}

TEST_CASE("removing a snapshot with children is refused; unknown keys are not found") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();

  ctrOk(daemon, {"snapshots", "prepare", "p"});
  ctrOk(daemon, {"snapshots", "commit", "parent", "p"});
  ctrOk(daemon, {"snapshots", "view", "v", "parent"});

  ProcessResult refused = runCtr(daemon.address(), {"snapshots", "rm", "parent"});
  CHECK(refused.status.code != 0);
  CHECK(refused.err.find("child") != std::string::npos);
  CHECK(ctrOk(daemon, {"snapshots", "ls", "-q"}).out == "parent\nv\n");

  ProcessResult taken = runCtr(daemon.address(), {"snapshots", "prepare", "v"});
  CHECK(taken.status.code != 0);
  CHECK(taken.err.find("already exists") != std::string::npos);

  for (std::vector<std::string> args : {std::vector<std::string>{"snapshots", "info", "nope"},
                                        {"snapshots", "mounts", "/tmp", "nope"},
                                        {"snapshots", "rm", "nope"},
                                        {"snapshots", "prepare", "k", "nope"}}) {
    ProcessResult missing = runCtr(daemon.address(), args);
    CHECK(missing.status.code != 0);
    CHECK_MESSAGE(missing.err.find("not found") != std::string::npos, missing.err);
  }
  ProcessResult unknown = runCtr(daemon.address(), {"snapshots", "--snapshotter", "nope", "ls"});
  CHECK(unknown.status.code != 0);
  CHECK(unknown.err.find("overlayfs") != std::string::npos);

  ctrOk(daemon, {"snapshots", "rm", "v", "parent"});
}

TEST_CASE("snapshots tree prints each snapshot under its parent, as containerd's ctr does") {
  TestDaemon daemon(snapshotDaemonOptions());
  daemon.start();
  CHECK(ctrOk(daemon, {"snapshots", "tree"}).out.empty());

  ctrOk(daemon, {"snapshots", "prepare", "base-active"});
  ctrOk(daemon, {"snapshots", "commit", "base", "base-active"});
  ctrOk(daemon, {"snapshots", "prepare", "mid-active", "base"});
  ctrOk(daemon, {"snapshots", "commit", "mid", "mid-active"});
  ctrOk(daemon, {"snapshots", "prepare", "work", "mid"});
  ctrOk(daemon, {"snapshots", "view", "look", "mid"});
  ctrOk(daemon, {"snapshots", "view", "at-base", "base"});
  ctrOk(daemon, {"snapshots", "prepare", "alone"});

  // Roots in name order at the margin, siblings in name order, two spaces a level.
  const std::string expected =
      " alone\n"
      " base\n"
      "  \\_ at-base\n"
      "  \\_ mid\n"
      "    \\_ look\n"
      "    \\_ work\n";
  CHECK(ctrOk(daemon, {"snapshots", "tree"}).out == expected);
  CHECK(ctrOk(daemon, {"snapshots", "--snapshotter", "overlayfs", "tree"}).out == expected);
  // Namespaces stay apart in the tree too.
  CHECK(ctrOk(daemon, {"-n", "elsewhere", "snapshots", "tree"}).out.empty());

  ctrOk(daemon, {"snapshots", "rm", "work", "look", "mid", "at-base", "base", "alone"});
}
