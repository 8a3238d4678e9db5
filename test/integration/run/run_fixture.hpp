// What the `ctr run` integration tests share: a tenond with the in-tree content
// store, overlayfs snapshotter and runc runtime (whose shim sits next to it in the
// build tree), a busybox image imported into a namespace of the test's own, and
// short ways to run ctr there. The namespace is unique to the fixture, so that
// the containers' cgroups (/tenon/<ns>/<id>) never meet another test run's.
//
// The destructor cleans up whatever a failed test left, in the order that
// works: tenond stopped, shims whose command line names the daemon's state
// killed by pid, runc's containers deleted, mounts under the daemon's
// directory unmounted, the namespaces' cgroup directories removed.
#pragma once

#include <doctest/doctest.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "built_programs.hpp"
#include "content_fixture.hpp"

#ifndef SNAPSHOT_OVERLAY_PLUGIN
#error "meson defines SNAPSHOT_OVERLAY_PLUGIN, RUNTIME_RUNC_PLUGIN, RUNC_PATH and MAKE_BUSYBOX_IMAGE"
#endif

namespace tenon::run_test {

using namespace tenon::test;
using Clock = std::chrono::steady_clock;

// The image every test runs: Debian's busybox-static with sh, echo, cat, sleep...
// linked as applets and PATH=/bin (scripts/make-busybox-image).
inline constexpr const char* kImage = "busybox:latest";

// One line of `ctr tasks ls --format json`.
struct ListedTask {
  std::string id;
  pid_t pid = 0;
  std::string status;  // RUNNING, STOPPED, PAUSED...
};

class RunFixture {
 public:
  // Starts tenond and imports the image into ns().
  RunFixture();
  ~RunFixture();
  RunFixture(const RunFixture&) = delete;
  RunFixture& operator=(const RunFixture&) = delete;

  TestDaemon& daemon() { return daemon_; }
  // The test's namespace, "run-<random>"; with a name, another one of its own.
  std::string ns(const std::string& name = "") const;
  // Imports the image into `ns` (REQUIREs success).
  void importImage(const std::string& ns);

  // `ctr -n NS args...` (NS: ns() unless given), at most `timeout`.
  ProcessResult ctr(const std::vector<std::string>& args, std::chrono::milliseconds timeout = std::chrono::seconds(60),
                    const std::string& ns = "");
  // The same, REQUIRing that ctr exits 0.
  ProcessResult ctrOk(const std::vector<std::string>& args, const std::string& ns = "");

  // `ctr tasks ls --format json` in `ns`.
  std::vector<ListedTask> tasks(const std::string& ns = "");
  // The task `id` as listed; nullopt when there is none.
  std::optional<ListedTask> task(const std::string& id, const std::string& ns = "");
  // `ctr containers ls -q` and `ctr snapshots ls -q` in `ns`.
  std::vector<std::string> containers(const std::string& ns = "");
  std::vector<std::string> snapshots(const std::string& ns = "");

  // Runs `ctr run -d IMAGE id args...` (REQUIREs success) and returns the task's host pid.
  pid_t runDetached(const std::string& id, const std::vector<std::string>& args, const std::string& ns = "");
  // Kills (SIGKILL) and deletes task and container `id`, REQUIRing each step.
  void removeContainer(const std::string& id, const std::string& ns = "");

  // Mount points under the daemon's directory (its root and state).
  std::vector<std::string> mountsLeft() const;
  // Pids of tenon-shim-runc processes whose command line names the daemon's state.
  std::vector<pid_t> shimsLeft() const;

 private:
  void cleanUp();

  std::string nsPrefix_;
  mutable std::set<std::string> namespaces_;  // every namespace a ctr call named
  TestDaemon daemon_;
};

// Polls `done` every 20 ms until it holds or `timeout` passes; true when it held.
template <class Done>
bool eventually(Done done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Whether process `pid` has a handler for `signal` (SigCgt in /proc/PID/status):
// how a test knows that a shell in a container has set its trap.
bool catchesSignal(pid_t pid, int signal);
// True while `pid` exists and is not a zombie.
bool processAlive(pid_t pid);
// The lines of `text`, without their '\n' (and any '\r' before it).
std::vector<std::string> outputLines(const std::string& text);

}  // namespace tenon::run_test
