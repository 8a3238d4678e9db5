// Tasks outlive the daemon: unloading the plugin without deleting anything
// is what tenond dying looks like to the shims, and a reload finds every
// task again, with the real exit codes of those that ended meanwhile.
#include <doctest/doctest.h>
#include <signal.h>

#include <fstream>
#include <string>

#include "runtime_fixture.hpp"

using namespace tenon;
using namespace tenon::runtime_test;
using tenon::tasks::TaskStatus;

namespace {

std::optional<tasks::TaskState> listed(const RuntimeFixture& f, const std::string& id) {
  for (const tasks::TaskState& s : f.table().list())
    if (s.id == id) return s;
  return std::nullopt;
}

std::string vmRss(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("VmRSS:")) return line.substr(6);
  return "unknown";
}

}  // namespace

TEST_CASE("tasks survive a plugin restart, and exits while it was down keep their real codes") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string alive = f.uniqueId("alive");
  std::string ended = f.uniqueId("ended");
  f.startUntilTerm(ns, alive);
  tasks::TaskState endedInit = f.startUntilTerm(ns, ended, 42);

  f.unload();  // tenond is gone; the shims stay
  REQUIRE(f.shimPid(ns, alive));
  CHECK_FALSE(processGone(*f.shimPid(ns, alive), std::chrono::milliseconds(0)));
  ::kill(static_cast<pid_t>(endedInit.pid), SIGTERM);
  REQUIRE(processGone(static_cast<pid_t>(endedInit.pid)));
  f.load();

  std::optional<tasks::TaskState> a = listed(f, alive);
  REQUIRE(a);
  CHECK(a->status == TaskStatus::running);
  tasks::TaskState e = waitStopped(f.table(), ns, ended);
  CHECK(e.exitStatus == 42);
  CHECK(f.countEvents(ns, "/tasks/exit", ended, ended) == 1);

  f.table().kill(ns, alive, "", SIGTERM);
  CHECK(waitStopped(f.table(), ns, alive).exitStatus == 143);
  CHECK(f.countEvents(ns, "/tasks/exit", alive, alive) == 1);

  // Restarting again publishes no exit a second time.
  f.unload();
  f.load();
  CHECK(f.countEvents(ns, "/tasks/exit", ended, ended) == 1);
  CHECK(f.countEvents(ns, "/tasks/exit", alive, alive) == 1);
  f.table().remove(ns, alive);
  f.table().remove(ns, ended);
  CHECK(mountsUnder(f.stateDir()).empty());
}

TEST_CASE("a task whose shim is killed stops with 255 instead of hanging, and can be deleted") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("orphan");
  f.startUntilTerm(ns, id);
  std::optional<pid_t> shim = f.shimPid(ns, id);
  REQUIRE(shim);

  SUBCASE("while the plugin runs") { ::kill(*shim, SIGKILL); }
  SUBCASE("while the plugin is down") {
    f.unload();
    ::kill(*shim, SIGKILL);
    REQUIRE(processGone(*shim));
    f.load();
  }
  tasks::TaskState stopped = waitStopped(f.table(), ns, id);
  CHECK(stopped.exitStatus == 255);
  CHECK(f.countEvents(ns, "/tasks/exit", id, id) == 1);
  CHECK(errorFrom([&] { f.table().kill(ns, id, "", SIGTERM); }).code() == TENON_NOT_FOUND);
  f.table().remove(ns, id);
  CHECK(mountsUnder(f.stateDir()).empty());
  CHECK_FALSE(std::filesystem::exists(f.bundle(ns, id)));
}

TEST_CASE("the shim's memory with one container running") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("rss");
  f.startUntilTerm(ns, id);
  std::optional<pid_t> shim = f.shimPid(ns, id);
  REQUIRE(shim);
  MESSAGE("tenon-shim-runc VmRSS with one container running:" << vmRss(*shim));
  f.table().kill(ns, id, "", SIGKILL);
  waitStopped(f.table(), ns, id);
  f.table().remove(ns, id);
}
