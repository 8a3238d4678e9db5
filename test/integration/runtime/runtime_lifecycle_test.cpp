// Signals, pause/resume, exec, pids, namespaces and delete, each against a
// real container.
#include <doctest/doctest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime_fixture.hpp"

using namespace tenon;
using namespace tenon::runtime_test;
using tenon::tasks::TaskStatus;

namespace {

std::string freezerState(const std::string& cgroupPath) {
  std::ifstream in("/sys/fs/cgroup/freezer" + cgroupPath + "/freezer.state");
  std::string state;
  in >> state;
  return state;
}

}  // namespace

TEST_CASE("SIGTERM ends a sleeping task, and wait returns its exit") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("term");
  f.startUntilTerm(ns, id);
  CHECK(f.table().state(ns, id).status == TaskStatus::running);
  // wait() blocks until the exit; it runs beside the kill.
  auto waited = std::async(std::launch::async, [&] { return f.table().wait(ns, id); });
  f.table().kill(ns, id, "", SIGTERM);
  bool done = waited.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  if (!done) f.unload();  // wakes the waiter so that the test can end
  REQUIRE(done);
  tasks::TaskState exited = waited.get();
  CHECK(exited.status == TaskStatus::stopped);
  CHECK(exited.exitStatus == 143);
  CHECK(errorFrom([&] { f.table().kill(ns, id, "", SIGTERM); }).code() == TENON_NOT_FOUND);
  f.table().remove(ns, id);
}

TEST_CASE("pause freezes the task's cgroup and resume thaws it") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("pause");
  tasks::TaskState created = f.startUntilTerm(ns, id);
  f.table().pause(ns, id);
  CHECK(f.table().state(ns, id).status == TaskStatus::paused);
  CHECK(freezerState(created.cgroupPath) == "FROZEN");
  CHECK(f.countEvents(ns, "/tasks/paused", id) == 1);
  CHECK(errorFrom([&] { f.table().pause(ns, id); }).code() == TENON_FAILED_PRECONDITION);

  f.table().resume(ns, id);
  CHECK(f.table().state(ns, id).status == TaskStatus::running);
  CHECK(freezerState(created.cgroupPath) == "THAWED");
  CHECK(f.countEvents(ns, "/tasks/resumed", id) == 1);
  f.table().kill(ns, id, "", SIGKILL);
  CHECK(waitStopped(f.table(), ns, id).exitStatus == 137);
  f.table().remove(ns, id);
}

TEST_CASE("an exec runs in a running task with its own stdio, exit code and pid") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("exec");
  tasks::TaskState init = f.startUntilTerm(ns, id);

  Fifo out = f.fifo("exec-out");
  out.openForReading();
  std::string process = testProcess({"sh", "-c", "echo from-exec; exit 5"}).dump();
  f.table().exec(ns, id, "e1", process, {"", out.path(), "", false});
  CHECK(f.table().state(ns, id, "e1").status == TaskStatus::created);
  CHECK(errorFrom([&] { f.table().exec(ns, id, "e1", process, {}); }).code() == TENON_ALREADY_EXISTS);
  tasks::TaskState started = f.table().start(ns, id, "e1");
  CHECK(started.pid > 0);
  CHECK(started.pid != init.pid);
  CHECK(out.readToEnd() == "from-exec\n");
  CHECK(waitStopped(f.table(), ns, id, "e1").exitStatus == 5);
  CHECK(f.table().remove(ns, id, "e1").exitStatus == 5);
  CHECK(errorFrom([&] { f.table().state(ns, id, "e1"); }).code() == TENON_NOT_FOUND);
  CHECK(f.countEvents(ns, "/tasks/exec-added", id) == 1);
  CHECK(f.countEvents(ns, "/tasks/exec-started", id) == 1);
  CHECK(f.countEvents(ns, "/tasks/exit", id, "e1") == 1);

  SUBCASE("with a TTY") {
    Fifo ttyOut = f.fifo("tty-out");
    ttyOut.openForReading();
    f.table().exec(ns, id, "e2", testProcess({"tty"}, true).dump(), {"", ttyOut.path(), "", true});
    f.table().start(ns, id, "e2");
    CHECK(ttyOut.readToEnd().find("/dev/pts/") != std::string::npos);
    CHECK(waitStopped(f.table(), ns, id, "e2").exitStatus == 0);
    f.table().remove(ns, id, "e2");
  }
  f.table().kill(ns, id, "", SIGTERM);
  CHECK(waitStopped(f.table(), ns, id).exitStatus == 143);
  f.table().remove(ns, id);
}

TEST_CASE("pids lists the task's processes, an exec's with its exec id") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("pids");
  tasks::TaskState init = f.startUntilTerm(ns, id);
  f.table().exec(ns, id, "sleeper", testProcess({"sleep", "1000"}).dump(), {});
  tasks::TaskState exec = f.table().start(ns, id, "sleeper");

  std::vector<tasks::TaskProcess> pids = f.table().pids(ns, id);
  bool sawInit = false, sawExec = false;
  for (const tasks::TaskProcess& p : pids) {
    sawInit = sawInit || p.pid == init.pid;
    if (p.pid == exec.pid) {
      sawExec = true;
      CHECK(nlohmann::json::parse(p.infoJson)["exec_id"] == "sleeper");
    }
  }
  CHECK(pids.size() >= 3);  // sh, its sleep, the exec's sleep
  CHECK(sawInit);
  CHECK(sawExec);
  f.table().kill(ns, id, "", SIGKILL, true);
  CHECK(waitStopped(f.table(), ns, id).exitStatus == 137);
  CHECK(waitStopped(f.table(), ns, id, "sleeper").status == TaskStatus::stopped);
  f.table().remove(ns, id);
}

TEST_CASE("the same id runs in two namespaces side by side") {
  RuntimeFixture f;
  const std::string nsA = f.ns("a");
  const std::string nsB = f.ns("b");
  std::string id = f.uniqueId("twin");
  Fifo outA = f.fifo("a");
  Fifo outB = f.fifo("b");
  outA.openForReading();
  outB.openForReading();
  tasks::TaskState a = f.table().create(f.request(nsA, id, {"echo", "in a"}, {"", outA.path(), "", false}));
  tasks::TaskState b = f.table().create(f.request(nsB, id, {"echo", "in b"}, {"", outB.path(), "", false}));
  CHECK(a.cgroupPath != b.cgroupPath);
  CHECK(f.table().list().size() == 2);
  f.table().start(nsA, id);
  f.table().start(nsB, id);
  CHECK(outA.readToEnd() == "in a\n");
  CHECK(outB.readToEnd() == "in b\n");
  waitStopped(f.table(), nsA, id);
  waitStopped(f.table(), nsB, id);
  f.table().remove(nsA, id);
  CHECK(f.table().state(nsB, id).status == TaskStatus::stopped);
  f.table().remove(nsB, id);
  CHECK(f.table().list().empty());
}

TEST_CASE("delete leaves no mount, no shim and no bundle behind") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("clean");
  f.table().create(f.request(ns, id, {"true"}));
  std::filesystem::path bundle = f.bundle(ns, id);
  CHECK(mountsUnder(bundle).size() == 1);  // the rootfs
  std::optional<pid_t> shim = f.shimPid(ns, id);
  REQUIRE(shim);
  CHECK_FALSE(processGone(*shim, std::chrono::milliseconds(0)));

  SUBCASE("after it ran") {
    f.table().start(ns, id);
    waitStopped(f.table(), ns, id);
    f.table().remove(ns, id);
  }
  SUBCASE("without ever starting") {
    tasks::TaskState removed = f.table().remove(ns, id);
    CHECK(removed.status == TaskStatus::stopped);
    CHECK(f.countEvents(ns, "/tasks/exit", id, id) == 1);
  }
  CHECK(mountsUnder(f.stateDir()).empty());
  CHECK(processGone(*shim));
  CHECK_FALSE(std::filesystem::exists(bundle));
  CHECK(errorFrom([&] { f.table().state(ns, id); }).code() == TENON_NOT_FOUND);
}
