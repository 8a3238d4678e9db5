// How ctr fails: one line on stderr that says what is wrong, and exit code 1.
#include <doctest/doctest.h>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

TEST_CASE("ctr against a missing socket prints one line naming the socket and exits 1") {
  TempDir dir("tenon-no-daemon");
  std::string address = dir / "absent.sock";
  for (std::vector<std::string> command : {std::vector<std::string>{"plugins", "ls"}, {"version"}}) {
    CAPTURE(command[0]);
    ProcessResult result = runCtr(address, command);
    CAPTURE(result.err);
    CHECK(result.status.code == 1);
    CHECK(isOneLine(result.err));
    CHECK(contains(result.err, address));
    CHECK_FALSE(contains(result.out, "Server:"));
  }
}

TEST_CASE("ctr version prints the client's part even when the daemon is down") {
  TempDir dir("tenon-no-daemon");
  ProcessResult result = runCtr(dir / "absent.sock", {"version"});
  CHECK(result.status.code == 1);
  CHECK(contains(result.out, "Client:"));
  CHECK(contains(result.out, kExpectedVersion));
}

TEST_CASE("an invalid --namespace makes ctr exit 1 with an invalid namespace message") {
  TestDaemon daemon(testDaemonOptions());
  daemon.start();

  ProcessResult valid = runCtr(daemon.address(), {"--namespace", "team-a.dev", "plugins", "ls"});
  CHECK_MESSAGE(valid.status.code == 0, valid.err);

  ProcessResult flag = runCtr(daemon.address(), {"--namespace", "../x", "plugins", "ls"});
  CAPTURE(flag.err);
  CHECK(flag.status.code == 1);
  CHECK(isOneLine(flag.err));
  CHECK(contains(flag.err, "invalid namespace"));
  CHECK(contains(flag.err, "../x"));
  CHECK(flag.out.empty());

  ProcessResult env = runCtr(daemon.address(), {"plugins", "ls"}, {.env = {"TENON_NAMESPACE=Upper/Case"}});
  CAPTURE(env.err);
  CHECK(env.status.code == 1);
  CHECK(contains(env.err, "invalid namespace"));
  CHECK(contains(env.err, "Upper/Case"));
}
