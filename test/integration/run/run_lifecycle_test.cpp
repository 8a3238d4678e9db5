// Detached tasks of `ctr run -d` driven with `ctr tasks`: signals and exit
// codes, pause and resume down to the freezer cgroup, exec and ps, one
// container id in two namespaces, and the task events in order.
#include <signal.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "event_watch.hpp"
#include "run_fixture.hpp"

namespace tenon::run_test {

namespace {

constexpr auto kPatience = std::chrono::seconds(30);

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The freezer.state of container `id`, found by the cgroupsPath of its spec
// (cgroups v1: /sys/fs/cgroup/freezer/<cgroupsPath>).
std::string freezerStateFile(RunFixture& f, const std::string& id) {
  auto info = nlohmann::json::parse(f.ctrOk({"containers", "info", id}).out);
  auto spec = info.at("spec");
  if (spec.is_string()) spec = nlohmann::json::parse(spec.get<std::string>());
  std::string cgroupsPath = spec.at("linux").at("cgroupsPath").get<std::string>();
  CHECK(cgroupsPath == "/tenon/" + f.ns() + "/" + id);
  return "/sys/fs/cgroup/freezer" + cgroupsPath + "/freezer.state";
}

// The pids `ctr tasks ps ID` lists.
std::vector<pid_t> listedPids(RunFixture& f, const std::string& id) {
  std::vector<std::string> rows = outputLines(f.ctrOk({"tasks", "ps", id}).out);
  REQUIRE(!rows.empty());
  CHECK(rows[0].starts_with("PID"));
  std::vector<pid_t> pids;
  for (size_t i = 1; i < rows.size(); ++i) pids.push_back(static_cast<pid_t>(std::stol(rows[i])));
  return pids;
}

}  // namespace

TEST_CASE("ctr tasks kill sends SIGTERM to a detached task, which exits as its trap says; SIGKILL gives 137") {
  RunFixture f;
  SUBCASE("SIGTERM, trapped") {
    pid_t pid = f.runDetached("c", {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"});
    // The init of a pid namespace ignores a SIGTERM it has no handler for: wait for the trap.
    REQUIRE_MESSAGE(eventually([&] { return catchesSignal(pid, SIGTERM); }), "the shell never set its trap");
    CHECK(f.task("c")->status == "RUNNING");
    f.ctrOk({"tasks", "kill", "c"});
    ProcessResult waited = f.ctr({"tasks", "wait", "c"}, kPatience);
    CHECK_MESSAGE(!waited.timedOut, "ctr tasks wait did not return");
    CHECK_MESSAGE(waited.status.code == 0, waited.err);
    CHECK(waited.out == "0\n");
    CHECK(f.task("c")->status == "STOPPED");
    f.removeContainer("c");
  }
  SUBCASE("SIGKILL") {
    f.runDetached("s", {"sleep", "1000"});
    f.ctrOk({"tasks", "kill", "-s", "KILL", "s"});
    ProcessResult waited = f.ctr({"tasks", "wait", "s"}, kPatience);
    CHECK_MESSAGE(!waited.timedOut, "ctr tasks wait did not return");
    CHECK(waited.status.code == 137);
    CHECK(waited.out == "137\n");
    CHECK(f.task("s")->status == "STOPPED");
    f.removeContainer("s");
  }
  CHECK(f.containers().empty());
  CHECK(f.tasks().empty());
}

TEST_CASE("ctr tasks pause freezes the task's cgroup and ctr tasks ls says PAUSED; resume thaws it") {
  RunFixture f;
  pid_t pid = f.runDetached("p", {"sleep", "1000"});
  std::string freezer = freezerStateFile(f, "p");
  REQUIRE_MESSAGE(std::filesystem::exists(freezer), freezer, " does not exist");
  CHECK(trimmed(readFile(freezer)) == "THAWED");

  f.ctrOk({"tasks", "pause", "p"});
  CHECK(f.task("p")->status == "PAUSED");
  CHECK(trimmed(readFile(freezer)) == "FROZEN");
  CHECK(processAlive(pid));

  f.ctrOk({"tasks", "resume", "p"});
  CHECK(f.task("p")->status == "RUNNING");
  CHECK(trimmed(readFile(freezer)) == "THAWED");

  f.removeContainer("p");
  CHECK(f.containers().empty());
}

TEST_CASE("ctr tasks exec runs a process in a running task, attached, with its exit code; ctr tasks ps lists pids") {
  RunFixture f;
  pid_t init = f.runDetached("x", {"sleep", "1000"});

  ProcessResult inExec = f.ctr({"tasks", "exec", "--exec-id", "e1", "x", "sh", "-c", "echo in-exec"}, kPatience);
  CHECK_MESSAGE(!inExec.timedOut, "ctr tasks exec did not return");
  CHECK_MESSAGE(inExec.status.code == 0, inExec.err);
  CHECK(inExec.out == "in-exec\n");

  ProcessResult failing =
      f.ctr({"tasks", "exec", "--exec-id", "e2", "x", "sh", "-c", "echo failing >&2; exit 4"}, kPatience);
  CHECK_MESSAGE(!failing.timedOut, "ctr tasks exec did not return");
  CHECK(failing.status.code == 4);
  CHECK(failing.err == "failing\n");

  ProcessResult withEnv = f.ctr(
      {"tasks", "exec", "--env", "WHERE=exec", "--exec-id", "e4", "x", "sh", "-c", "echo $WHERE"}, kPatience);
  CHECK_MESSAGE(withEnv.status.code == 0, withEnv.err);
  CHECK(withEnv.out == "exec\n");

  // An exec that stays, so that ps has two processes to list.
  f.ctrOk({"tasks", "exec", "-d", "--exec-id", "e3", "x", "sleep", "999"});
  std::vector<pid_t> pids;
  CHECK_MESSAGE(eventually([&] {
                  pids = listedPids(f, "x");
                  return pids.size() >= 2;
                }),
                "ctr tasks ps listed ", pids.size(), " pid(s)");
  CHECK(std::find(pids.begin(), pids.end(), init) != pids.end());
  for (pid_t p : pids) CHECK(processAlive(p));

  CHECK(f.task("x")->status == "RUNNING");
  f.removeContainer("x");
  CHECK(f.containers().empty());
}

TEST_CASE("one container id in two namespaces makes two independent containers and tasks") {
  RunFixture f;
  std::string a = f.ns(), b = f.ns("other");
  f.importImage(b);
  pid_t pidA = f.runDetached("same", {"sleep", "1000"}, a);
  pid_t pidB = f.runDetached("same", {"sleep", "1000"}, b);
  CHECK(pidA != pidB);

  for (const auto& [ns, pid] : {std::pair{a, pidA}, std::pair{b, pidB}}) {
    CAPTURE(ns);
    std::vector<ListedTask> listed = f.tasks(ns);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].id == "same");
    CHECK(listed[0].pid == pid);
    CHECK(listed[0].status == "RUNNING");
    CHECK(f.containers(ns) == std::vector<std::string>{"same"});
  }

  // Killing one leaves the other running.
  f.ctrOk({"tasks", "kill", "-s", "KILL", "same"}, a);
  ProcessResult waited = f.ctr({"tasks", "wait", "same"}, kPatience, a);
  CHECK(waited.out == "137\n");
  CHECK(f.task("same", a)->status == "STOPPED");
  CHECK(f.task("same", b)->status == "RUNNING");
  CHECK(processAlive(pidB));

  f.removeContainer("same", a);
  CHECK(f.containers(a).empty());
  CHECK(f.containers(b) == std::vector<std::string>{"same"});
  CHECK(f.task("same", b)->status == "RUNNING");
  f.removeContainer("same", b);
  CHECK(f.containers(b).empty());
}

TEST_CASE("ctr events shows /tasks/create, /tasks/start, /tasks/exit and /tasks/delete of a run, in that order") {
  RunFixture f;
  RpcClient client(f.daemon().address());
  EventWatch watch(f.daemon().address(), {});
  watch.waitUntilSubscribed(client, "probe", "/test/probe");

  ProcessResult run = f.ctr({"run", "--rm", kImage, "ev", "echo", "hi"}, kPatience);
  CHECK_MESSAGE(!run.timedOut, "ctr run did not return");
  CHECK_MESSAGE(run.status.code == 0, run.err);

  auto taskTopics = [&](const std::vector<SeenEvent>& seen) {
    std::vector<std::string> topics;
    for (const SeenEvent& e : seen)
      if (e.ns == f.ns() && e.topic.starts_with("/tasks/") && e.payload.value("container_id", "") == "ev")
        topics.push_back(e.topic);
    return topics;
  };
  bool deleted = watch.waitFor([&](const std::vector<SeenEvent>& seen) {
    std::vector<std::string> topics = taskTopics(seen);
    return std::find(topics.begin(), topics.end(), "/tasks/delete") != topics.end();
  });
  CHECK_MESSAGE(deleted, "no /tasks/delete; ctr events printed:\n", watch.output());
  CHECK(taskTopics(watch.seen()) ==
        std::vector<std::string>{"/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete"});
  // The exit event carries the exit status.
  for (const SeenEvent& e : watch.seen())
    if (e.ns == f.ns() && e.topic == "/tasks/exit") CHECK(e.payload.value("exit_status", 999) == 0);
}

}  // namespace tenon::run_test
