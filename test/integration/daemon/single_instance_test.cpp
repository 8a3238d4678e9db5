// One tenond per root and per socket: a second one refuses to start, and the
// first keeps serving.
#include <doctest/doctest.h>

#include <filesystem>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

TEST_CASE("a second tenond on the same root refuses to start, naming the first one's pid") {
  TestDaemon first(testDaemonOptions());
  first.start();

  DaemonOptions options = testDaemonOptions();
  options.root = first.root();
  TestDaemon second(options);
  ExitStatus refused = second.startExpectingExit();
  CAPTURE(second.log());
  CHECK(refused.code == 1);
  CHECK(contains(second.log(), "pid " + std::to_string(first.pid())));
  CHECK_FALSE(std::filesystem::exists(second.address()));

  ProcessResult version = runCtr(first.address(), {"version"});
  CHECK_MESSAGE(version.status.code == 0, version.err);
  CHECK(first.running());
}

TEST_CASE("a second tenond on a socket where a live server listens refuses and leaves that socket alone") {
  TestDaemon first(testDaemonOptions());
  first.start();

  DaemonOptions options = testDaemonOptions();
  options.address = first.address();  // its own root and state
  TestDaemon second(options);
  ExitStatus refused = second.startExpectingExit();
  CAPTURE(second.log());
  CHECK(refused.code == 1);
  CHECK(contains(second.log(), first.address()));

  ProcessResult version = runCtr(first.address(), {"version"});
  CHECK_MESSAGE(version.status.code == 0, version.err);
  CHECK(first.stop().code == 0);
  CHECK_FALSE(std::filesystem::exists(first.address()));
}

TEST_CASE("a second tenond on the same state directory refuses to start, and no plugin of it starts") {
  TestDaemon first(testDaemonOptions());
  first.start();

  DaemonOptions options = testDaemonOptions();
  options.state = first.state();  // its own root and socket
  TestDaemon second(options);
  ExitStatus refused = second.startExpectingExit();
  CAPTURE(second.log());
  CHECK(refused.code == 1);
  CHECK(contains(second.log(), "already running with state " + first.state()));
  CHECK_FALSE(contains(second.log(), "test plugin good ready"));
  CHECK(first.running());
}

TEST_CASE("a second tenond on a live socket refuses before any plugin starts") {
  TestDaemon first(testDaemonOptions());
  first.start();
  DaemonOptions options = testDaemonOptions();
  options.address = first.address();
  TestDaemon second(options);
  second.startExpectingExit();
  CAPTURE(second.log());
  CHECK_FALSE(contains(second.log(), "test plugin good ready"));
}
