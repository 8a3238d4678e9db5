#include <doctest/doctest.h>

#include <signal.h>
#include <stdlib.h>

#include <system_error>

#include "process.hpp"
#include "temp_dir.hpp"

using namespace tenon::test;
using namespace std::chrono_literals;

TEST_CASE("runProcess keeps stdout and stderr apart and reports the exit code") {
  ProcessResult result = runProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  CHECK(result.out == "out\n");
  CHECK(result.err == "err\n");
  CHECK(result.status.code == 3);
  CHECK(result.status.signal == 0);
  CHECK_FALSE(result.timedOut);
}

TEST_CASE("runProcess passes argv untouched, without a shell") {
  ProcessResult result = runProcess({"printf", "%s|", "a b", "$HOME", "*"});
  CHECK(result.out == "a b|$HOME|*|");
}

TEST_CASE("runProcess sets and unsets env entries on top of the inherited environment") {
  ::setenv("TENON_SELF_TEST_UNSET", "still here", 1);
  ProcessResult result = runProcess({"sh", "-c", "echo \"$TENON_A-$PATH-${TENON_SELF_TEST_UNSET-unset}\""},
                                    {.env = {"TENON_A=1", "PATH=/bin", "TENON_SELF_TEST_UNSET"}});
  ::unsetenv("TENON_SELF_TEST_UNSET");
  CHECK(result.out == "1-/bin-unset\n");
}

TEST_CASE("runProcess kills a child that outlives its timeout") {
  auto started = std::chrono::steady_clock::now();
  ProcessResult result = runProcess({"sleep", "30"}, {.env = {}, .timeout = 200ms});
  CHECK(result.timedOut);
  CHECK(result.status.signal == SIGKILL);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE("runProcess throws when the program cannot be executed") {
  CHECK_THROWS_AS(runProcess({"/nonexistent/program"}), std::system_error);
}

TEST_CASE("a BackgroundProcess is killed when it goes out of scope") {
  pid_t pid;
  {
    TempDir dir;
    BackgroundProcess sleeper({"sleep", "30"}, {}, dir / "out");
    pid = sleeper.pid();
    CHECK(sleeper.running());
    CHECK_FALSE(sleeper.waitFor(50ms));
  }
  CHECK(::kill(pid, 0) != 0);  // reaped, not a zombie
}

TEST_CASE("BackgroundProcess::waitFor reports how the child ended") {
  TempDir dir;
  BackgroundProcess child({"sh", "-c", "echo hi; exit 4"}, {}, dir / "out");
  std::optional<ExitStatus> status = child.waitFor(5s);
  REQUIRE(status);
  CHECK(status->code == 4);
  CHECK(readFile(dir / "out") == "hi\n");
}
