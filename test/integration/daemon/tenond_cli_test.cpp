// tenond's own command line: help, version, and flags it refuses before touching disk.
#include <doctest/doctest.h>

#include <filesystem>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

TEST_CASE("tenond --help exits 0 and lists the flags that override the config") {
  ProcessResult help = runProcess({kTenond, "--help"});
  CHECK(help.status.code == 0);
  for (const char* flag : {"--config", "--root", "--state", "--address", "--log-level"})
    CHECK_MESSAGE(contains(help.out, flag), flag);
}

TEST_CASE("tenond --version prints its version and exits 0") {
  ProcessResult version = runProcess({kTenond, "--version"});
  CHECK(version.status.code == 0);
  CHECK(version.out == std::string("tenond ") + kExpectedVersion + "\n");
}

TEST_CASE("a relative --root makes tenond exit 1 with one line, creating nothing") {
  TestDaemon daemon(testDaemonOptions());  // only for its config; run by hand to pass the flag
  ProcessResult run = runProcess({kTenond, "--config", daemon.configPath(), "--root", "relative/root"});
  CAPTURE(run.err);
  CHECK(run.status.code == 1);
  CHECK(isOneLine(run.err));
  CHECK(contains(run.err, "--root"));
  CHECK_FALSE(std::filesystem::exists("relative/root"));
  CHECK_FALSE(std::filesystem::exists(daemon.state()));
  CHECK_FALSE(std::filesystem::exists(daemon.address()));
}
