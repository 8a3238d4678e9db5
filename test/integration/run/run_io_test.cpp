// `ctr run` attached to ctr's stdio, through the real daemon, runc and overlay
// mounts: output and exit codes, stderr, stdin, a terminal and its window
// size, Ctrl-C forwarded to the container.
#include <signal.h>

#include "ctr_terminal.hpp"
#include "run_fixture.hpp"
#include "text_lines.hpp"

namespace tenon::run_test {

namespace {

constexpr auto kPatience = std::chrono::seconds(30);

}  // namespace

TEST_CASE("ctr run prints the container's output on stdout and its errors on stderr, and exits with its code") {
  RunFixture f;
  ProcessResult hello = f.ctr({"run", "--rm", kImage, "c1", "echo", "hello"});
  CHECK_MESSAGE(!hello.timedOut, "ctr run did not return");
  CHECK_MESSAGE(hello.status.code == 0, hello.err);
  CHECK(hello.out == "hello\n");
  CHECK(hello.err.empty());

  ProcessResult seven = f.ctr({"run", "--rm", kImage, "c2", "sh", "-c", "echo to-out; echo to-err >&2; exit 7"});
  CHECK_MESSAGE(!seven.timedOut, "ctr run did not return");
  CHECK(seven.status.code == 7);
  CHECK(seven.out == "to-out\n");
  CHECK(seven.err == "to-err\n");
  CHECK(f.containers().empty());
}

TEST_CASE("ctr run's repeatable flags take one value each, before the image, id and command") {
  RunFixture f;
  ProcessResult run = f.ctr({"run", "--rm", "--env", "GREETING=hi", "--env", "NAME=there", "--label", "a=1", kImage,
                             "c", "sh", "-c", "echo $GREETING $NAME"});
  CHECK_MESSAGE(run.status.code == 0, run.err);
  CHECK(run.out == "hi there\n");
  CHECK(f.containers().empty());
}

TEST_CASE("ctr run passes what is piped into it to the container's stdin, and ends it at end of input") {
  RunFixture f;
  SUBCASE("a line") {
    CtrWithInput ctr(f.daemon().address(), {"-n", f.ns(), "run", "--rm", kImage, "c", "cat"});
    REQUIRE(ctr.feed("data\n"));
    ProcessResult cat = ctr.finish(kPatience);
    CHECK_MESSAGE(!cat.timedOut, "ctr run did not return after its input ended");
    CHECK_MESSAGE(cat.status.code == 0, cat.err);
    CHECK(cat.out == "data\n");
  }
  SUBCASE("a MiB of binary bytes, unchanged") {
    std::string bytes = randomBytes(kMiB, 42);
    CtrWithInput ctr(f.daemon().address(), {"-n", f.ns(), "run", "--rm", kImage, "c", "cat"});
    REQUIRE(ctr.feed(bytes));
    ProcessResult cat = ctr.finish(kPatience);
    CHECK_MESSAGE(cat.status.code == 0, cat.err);
    CHECK(cat.out.size() == bytes.size());
    CHECK(cat.out == bytes);
  }
  CHECK(f.containers().empty());
}

TEST_CASE("ctr run -t gives the container a terminal: typed input in, output back, the exit code out") {
  RunFixture f;
  CtrTerminal terminal(f.daemon().address(), {"-n", f.ns(), "run", "-t", "--rm", kImage, "c", "sh"}, 24, 80);
  REQUIRE_MESSAGE(terminal.waitForText("# ", kPatience), "no shell prompt; the terminal showed: ", terminal.shown());
  size_t typed = terminal.shown().size();
  REQUIRE(terminal.type("echo $((6*7)); exit 3\n"));
  // The echo of what was typed holds "6*7", never "42": only the shell prints it.
  CHECK_MESSAGE(terminal.waitForText("42", kPatience, typed), "the terminal showed: ", terminal.shown());
  std::optional<ExitStatus> status = terminal.waitForExit(kPatience);
  REQUIRE_MESSAGE(status, "ctr run -t did not exit; the terminal showed: ", terminal.shown());
  CHECK(status->code == 3);
  CHECK(f.containers().empty());
}

TEST_CASE("ctr run -t sets the container's terminal to ctr's window size, and follows it when it changes") {
  RunFixture f;
  SUBCASE("at start") {
    CtrTerminal terminal(f.daemon().address(),
                         {"-n", f.ns(), "run", "-t", "--rm", kImage, "c", "busybox", "stty", "size"}, 37, 111);
    std::optional<ExitStatus> status = terminal.waitForExit(kPatience);
    REQUIRE_MESSAGE(status, "ctr run -t did not exit; the terminal showed: ", terminal.shown());
    CHECK(status->code == 0);
    CHECK_MESSAGE(contains(terminal.shown(), "37 111"), "the terminal showed: ", terminal.shown());
  }
  SUBCASE("after a resize (SIGWINCH to ctr)") {
    CtrTerminal terminal(f.daemon().address(), {"-n", f.ns(), "run", "-t", "--rm", kImage, "c", "sh"}, 24, 80);
    REQUIRE_MESSAGE(terminal.waitForText("# ", kPatience), "no prompt; the terminal showed: ", terminal.shown());
    terminal.resize(50, 132);
    // The resize travels ctr → tenond → shim: ask until the container sees it.
    bool seen = eventually(
        [&] {
          size_t from = terminal.shown().size();
          return terminal.type("busybox stty size\n") &&
                 terminal.waitForText("50 132", std::chrono::milliseconds(500), from);
        },
        kPatience);
    CHECK_MESSAGE(seen, "the terminal showed: ", terminal.shown());
    REQUIRE(terminal.type("exit 0\n"));
    std::optional<ExitStatus> status = terminal.waitForExit(kPatience);
    REQUIRE(status);
    CHECK(status->code == 0);
  }
  CHECK(f.containers().empty());
}

TEST_CASE("Ctrl-C (SIGINT to ctr run) reaches the container's process, whose handler decides the exit code") {
  RunFixture f;
  TempDir dir{"tenon-run-sigint"};
  std::string output = dir / "ctr.out";
  BackgroundProcess ctr({kCtr, "--address", f.daemon().address(), "-n", f.ns(), "run", "--rm", kImage, "c", "sh", "-c",
                         "trap 'echo got-int; exit 42' INT; echo ready; sleep 1000 & wait"},
                        {"TENON_ADDRESS", "TENON_NAMESPACE"}, output);
  // "ready" comes after the trap: from then on SIGINT has a handler.
  REQUIRE_MESSAGE(eventually([&] { return contains(readFile(output), "ready\n") || !ctr.running(); }, kPatience),
                  "the container never said it was ready: ", readFile(output));
  REQUIRE_MESSAGE(ctr.running(), "ctr run exited early: ", readFile(output));
  ctr.signal(SIGINT);
  std::optional<ExitStatus> status = ctr.waitFor(kPatience);
  REQUIRE_MESSAGE(status, "ctr run did not exit after SIGINT: ", readFile(output));
  CHECK(status->code == 42);
  CHECK_MESSAGE(contains(readFile(output), "got-int\n"), readFile(output));
  CHECK(f.containers().empty());
}

}  // namespace tenon::run_test
