#include "plugin/task_recovery.hpp"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>

#include "common/files.hpp"
#include "common/runtime_cli.hpp"
#include "plugin/shim_client.hpp"
#include "plugin/task_bundle.hpp"

namespace tenon::runtime_runc {

namespace stdfs = std::filesystem;

namespace {

// A live shim answers `state` at once; one that does not within this is
// treated as dead rather than holding up the daemon's start.
constexpr std::chrono::seconds kStateTimeout{5};
constexpr size_t kMaxParallel = 32;

std::vector<stdfs::path> bundleDirs(const stdfs::path& tasksDir) {
  std::vector<stdfs::path> dirs;
  std::error_code ec;
  for (const auto& ns : stdfs::directory_iterator(tasksDir, ec)) {
    if (!ns.is_directory()) continue;
    for (const auto& task : stdfs::directory_iterator(ns.path(), ec))
      if (task.is_directory()) dirs.push_back(task.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// The init as a dead shim left it: its pid from the runtime's pid file.
ProcessState lastKnownInit(const BundleLayout& bundle) {
  ProcessState init;
  try {
    init.pid = readPidFile(bundle.pidFile(""));
    init.status = ProcessStatus::running;
  } catch (const std::exception&) {
  }
  return init;
}

// One task: reconnected, or marked stopped. Null for a bundle that is no task.
std::shared_ptr<Task> reconnect(const stdfs::path& dir, UniqueFd& events, const Host& host) {
  BundleLayout bundle{dir};
  std::optional<std::string> text = readFileIfExists(bundle.taskFile());
  if (!text) {
    host.warn("removing " + dir.string() + ": a create that never finished");
    removeBundle(bundle);
    return nullptr;
  }
  auto task = std::make_shared<Task>(parseObject(*text, bundle.taskFile().string()).get<TaskIdentity>(), bundle);
  ShimClient shim(task->identity().socket, task->name());
  try {
    json answer = shim.call({{"op", "state"}}, kStateTimeout);
    task->setProcesses(answer.at("processes").get<std::vector<ProcessState>>());
    events = shim.subscribe();
  } catch (const std::exception& e) {
    host.warn("task " + task->name() + " has no live shim (" + e.what() + "); it counts as stopped");
    events.reset();
    task->setProcesses({lastKnownInit(bundle)});
  }
  return task;
}

}  // namespace

std::vector<RecoveredTask> recoverTasks(const stdfs::path& tasksDir, const Host& host) {
  std::vector<stdfs::path> dirs = bundleDirs(tasksDir);
  std::vector<RecoveredTask> slots(dirs.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < dirs.size();) {
      try {
        slots[i].task = reconnect(dirs[i], slots[i].events, host);
      } catch (const std::exception& e) {
        host.error("cannot recover the task in " + dirs[i].string() + ": " + e.what());
      }
    }
  };
  std::vector<std::thread> workers;
  for (size_t n = 0; n < std::min(kMaxParallel, dirs.size()); ++n) workers.emplace_back(worker);
  for (std::thread& t : workers) t.join();
  std::vector<RecoveredTask> found;
  for (RecoveredTask& r : slots)
    if (r.task) found.push_back(std::move(r));
  return found;
}

}  // namespace tenon::runtime_runc
