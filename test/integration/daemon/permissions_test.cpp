// Who may reach what tenond creates: root 0700, state 0711, and the socket's mode
// and group as configured.
#include <doctest/doctest.h>

#include <grp.h>
#include <sys/stat.h>

#include <filesystem>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

struct stat statOf(const std::string& path) {
  struct stat st{};
  REQUIRE_MESSAGE(::lstat(path.c_str(), &st) == 0, path);
  return st;
}

unsigned permissions(const struct stat& st) { return st.st_mode & 07777; }

// A group other than root's, so that a socket left in group 0 is noticed.
gid_t otherGroup() {
  const group* daemonGroup = ::getgrnam("daemon");
  return daemonGroup != nullptr && daemonGroup->gr_gid != 0 ? daemonGroup->gr_gid : 1;
}

}  // namespace

TEST_CASE("the root dir is created 0700 and the state dir 0711") {
  TestDaemon daemon(testDaemonOptions());
  daemon.start();
  struct stat root = statOf(daemon.root()), state = statOf(daemon.state());
  CHECK(S_ISDIR(root.st_mode));
  CHECK(permissions(root) == 0700);
  CHECK(S_ISDIR(state.st_mode));
  CHECK(permissions(state) == 0711);
}

TEST_CASE("existing root and state dirs with looser modes are tightened to 0700 and 0711") {
  TestDaemon daemon(testDaemonOptions());
  std::filesystem::create_directory(daemon.root());
  std::filesystem::create_directory(daemon.state());
  ::chmod(daemon.root().c_str(), 0755);
  ::chmod(daemon.state().c_str(), 0777);
  daemon.start();
  CHECK(permissions(statOf(daemon.root())) == 0700);
  CHECK(permissions(statOf(daemon.state())) == 0711);
}

TEST_CASE("the socket gets the mode and gid from [rpc]") {
  DaemonOptions options = testDaemonOptions();
  gid_t gid = otherGroup();
  options.rpcToml = "mode = 0o600\ngid = " + std::to_string(gid) + "\n";
  TestDaemon daemon(options);
  daemon.start();
  struct stat socket = statOf(daemon.address());
  CHECK(S_ISSOCK(socket.st_mode));
  CHECK(permissions(socket) == 0600);  // srw-------
  CHECK(socket.st_gid == gid);
  CHECK(socket.st_uid == 0);
}

TEST_CASE("without [rpc] mode the socket is 0660") {
  TestDaemon daemon(testDaemonOptions());
  daemon.start();
  struct stat socket = statOf(daemon.address());
  CHECK(S_ISSOCK(socket.st_mode));
  CHECK(permissions(socket) == 0660);
}
