// Tasks outlive tenond: SIGKILLed while two detached tasks run, one of which
// exits while no daemon is there, a new tenond on the same root and state
// finds the one still running and the exit code of the other.
#include <signal.h>

#include "run_fixture.hpp"

namespace tenon::run_test {

namespace {

constexpr auto kPatience = std::chrono::seconds(30);

}  // namespace

TEST_CASE("after tenond is SIGKILLed and restarted, a running task still runs and an exit while it was down is kept") {
  RunFixture f;
  pid_t longPid = f.runDetached("long", {"sleep", "1000"});
  pid_t shortPid = f.runDetached("short", {"sh", "-c", "sleep 1; exit 5"});

  f.daemon().kill9();
  REQUIRE_MESSAGE(eventually([&] { return !processAlive(shortPid); }, kPatience), "the short task never exited");
  CHECK(processAlive(longPid));
  f.daemon().start();

  std::optional<ListedTask> running = f.task("long");
  REQUIRE(running);
  CHECK(running->status == "RUNNING");
  CHECK(running->pid == longPid);
  std::optional<ListedTask> stopped = f.task("short");
  REQUIRE(stopped);
  CHECK(stopped->status == "STOPPED");

  ProcessResult waitedShort = f.ctr({"tasks", "wait", "short"}, kPatience);
  CHECK_MESSAGE(!waitedShort.timedOut, "ctr tasks wait short did not return");
  CHECK(waitedShort.out == "5\n");
  CHECK(waitedShort.status.code == 5);

  f.ctrOk({"tasks", "kill", "-s", "KILL", "long"});
  ProcessResult waitedLong = f.ctr({"tasks", "wait", "long"}, kPatience);
  CHECK_MESSAGE(!waitedLong.timedOut, "ctr tasks wait long did not return");
  CHECK(waitedLong.out == "137\n");
  CHECK(waitedLong.status.code == 137);
  CHECK(!processAlive(longPid));

  f.ctrOk({"tasks", "rm", "long", "short"});
  f.ctrOk({"containers", "rm", "long", "short"});
  CHECK(f.containers().empty());
  CHECK(f.tasks().empty());
  CHECK(f.mountsLeft().empty());
  CHECK_MESSAGE(eventually([&] { return f.shimsLeft().empty(); }, std::chrono::seconds(10)), "shims still run");
}

TEST_CASE("a ctr tasks wait that tenond's SIGKILL cut off can be asked again of the restarted daemon") {
  RunFixture f;
  f.runDetached("w", {"sh", "-c", "trap 'exit 9' TERM; sleep 1000 & wait"});
  pid_t pid = f.task("w")->pid;
  REQUIRE(eventually([&] { return catchesSignal(pid, SIGTERM); }));
  TempDir dir{"tenon-run-wait"};
  BackgroundProcess waiting({kCtr, "--address", f.daemon().address(), "-n", f.ns(), "tasks", "wait", "w"},
                            {"TENON_ADDRESS", "TENON_NAMESPACE"}, dir / "wait.out");
  f.daemon().kill9();
  std::optional<ExitStatus> cut = waiting.waitFor(kPatience);
  REQUIRE_MESSAGE(cut, "ctr tasks wait did not notice the daemon went away");
  CHECK(cut->code != 0);
  CHECK(processAlive(pid));

  f.daemon().start();
  f.ctrOk({"tasks", "kill", "w"});
  ProcessResult waited = f.ctr({"tasks", "wait", "w"}, kPatience);
  CHECK(waited.out == "9\n");
  CHECK(waited.status.code == 9);
  f.removeContainer("w");
  CHECK(f.containers().empty());
}

}  // namespace tenon::run_test
