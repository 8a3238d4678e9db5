// A tenond killed with SIGKILL leaves its socket behind; the next one replaces it.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

TEST_CASE("after SIGKILL the stale socket stays, and a restart replaces it and serves") {
  TestDaemon daemon(testDaemonOptions());
  daemon.start();
  pid_t killed = daemon.pid();
  daemon.kill9();

  struct stat st{};
  REQUIRE(::lstat(daemon.address().c_str(), &st) == 0);
  CHECK(S_ISSOCK(st.st_mode));
  CHECK_FALSE(socketAccepts(daemon.address()));
  ProcessResult refused = runCtr(daemon.address(), {"version"});
  CHECK(refused.status.code == 1);
  CHECK(contains(refused.err, daemon.address()));

  daemon.start();
  CHECK(daemon.pid() != killed);
  ProcessResult ls = runCtr(daemon.address(), {"plugins", "ls", "--quiet"});
  CHECK_MESSAGE(ls.status.code == 0, ls.err);
  CHECK(contains(ls.out, "metrics.good\n"));
  CHECK(daemon.stop().code == 0);
}
