// One runtime-runc plugin on a private root and state under /tmp, loaded
// from its built .so through the core's PluginSet and driven through
// RuntimeTable, the view the core uses; unloadable and reloadable like the
// daemon (a reload without deleting tasks is what tenond dying looks like
// to the shims). Containers run from a busybox rootfs bind-mounted by the
// plugin. The destructor cleans up whatever a failed test left: shims and
// containers killed by pid, runtime state deleted, mounts unmounted.
#pragma once

#include <doctest/doctest.h>
#include <sys/types.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tenon/error.hpp>
#include <tenon/mount.hpp>
#include <vector>

#include "plugins/plugin_set.hpp"
#include "tasks/runtime_table.hpp"
#include "test_fifo.hpp"
#include "test_spec.hpp"
#include "thrown_error.hpp"

namespace tenon::runtime_test {

// One event the plugin published.
struct PublishedEvent {
  std::string ns;
  std::string topic;
  std::string payload;
};

class RuntimeFixture {
 public:
  RuntimeFixture();
  ~RuntimeFixture();
  RuntimeFixture(const RuntimeFixture&) = delete;
  RuntimeFixture& operator=(const RuntimeFixture&) = delete;

  // Loads the plugin (init) with `configToml` as its table; why it failed,
  // "" when it loaded. The default config names the test's runc.
  std::string tryLoad(const std::string& configToml = defaultConfig());
  // Loads the plugin with the default config; REQUIREs that it loaded.
  void load();
  static std::string defaultConfig() { return "binary = \"" RUNC_PATH "\"\n"; }
  // Unloads it (fini), leaving its tasks running.
  void unload();
  tasks::RuntimeTable table() const;

  // The busybox rootfs as a snapshotter would hand it out: a writable bind.
  std::vector<Mount> rootfs() const;
  // A namespace of this fixture's own ("t<random>[-<name>]"): tasks, and the
  // cgroups the plugin makes for them (/tenon/<ns>/<id>), are apart from any
  // other run's, and the fixture removes what is left of them.
  std::string ns(const std::string& name = "") const;
  // A task id no other fixture uses, "<prefix>-<random>".
  std::string uniqueId(const std::string& prefix) const;
  // A create request for `args` with `io`, in namespace `ns`.
  tasks::CreateTaskRequest request(const std::string& ns, const std::string& id, const std::vector<std::string>& args,
                                   const tasks::TaskIo& io = {}) const;
  // Creates and starts a task that runs until SIGTERM, then exits `code`.
  // Returns once the task has set its trap (it says so on stdout): the init
  // of a pid namespace ignores a SIGTERM it has no handler for.
  tasks::TaskState startUntilTerm(const std::string& ns, const std::string& id, int code = 143);
  // A new FIFO in the fixture's directory.
  Fifo fifo(const std::string& name) const;

  std::filesystem::path stateDir() const { return dir_ / "state" / "runtime.runc"; }
  std::filesystem::path bundle(const std::string& ns, const std::string& id) const;
  // The shim's pid, from its bundle; nullopt when there is none.
  std::optional<pid_t> shimPid(const std::string& ns, const std::string& id) const;

  std::vector<PublishedEvent> events() const;
  // How many events of `topic` name `containerId` (and `processId` in "id", when given).
  int countEvents(const std::string& ns, const std::string& topic, const std::string& containerId,
                  const std::string& processId = "") const;

 private:
  void killLeftovers() const;

  std::filesystem::path dir_;
  std::FILE* logFile_;
  std::unique_ptr<log::Logger> logger_;
  plugins::ServiceRegistry registry_;
  std::unique_ptr<plugins::PluginSet> plugins_;
  std::string nsPrefix_;
  mutable std::set<std::string> namespaces_;  // every namespace a request named
  mutable std::mutex eventsMutex_;
  std::vector<PublishedEvent> events_;
};

using tenon::test::errorFrom;

// Polls state() until the process has stopped, at most `timeout`; then its
// wait() answer. A bounded wait: a broken runtime fails the test, never hangs it.
tasks::TaskState waitStopped(const tasks::RuntimeTable& table, const std::string& ns, const std::string& id,
                             const std::string& execId = "",
                             std::chrono::milliseconds timeout = std::chrono::seconds(30));

// True once `pid` has exited (gone, or a zombie no one has reaped yet), waiting at most `timeout`.
bool processGone(pid_t pid, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The mount points at or below `dir` in /proc/self/mountinfo.
std::vector<std::string> mountsUnder(const std::filesystem::path& dir);

}  // namespace tenon::runtime_test
