// The runtime service behind runtime.runc's C table: tasks run by one shim
// each (tenon-shim-runc), which drives the OCI runtime binary. Layout under
// the plugin's state directory:
//   tasks/<ns>/<id>/   each task's bundle (common/bundle_layout.hpp)
//   s/<hash>           the shims' sockets (0700 directory; short names, as
//                      unix socket paths are limited to 107 bytes)
//   runc/<ns>/         the runtime's --root, unless the config moves it
// Tasks outlive the plugin: fini leaves the shims running, and the next init
// reconnects to every one of them (task_recovery.hpp). Thread-safe: the core
// calls from any thread, several at once.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tenon/mount.hpp>
#include <tenon/plugin.hpp>
#include <utility>
#include <vector>

#include "common/shim_protocol.hpp"
#include "plugin/exit_monitor.hpp"
#include "plugin/runtime_config.hpp"
#include "plugin/shim_client.hpp"
#include "plugin/task.hpp"
#include "plugin/task_events.hpp"

namespace tenon::runtime_runc {

// A create request, copied from the C ABI.
struct TaskCreate {
  std::string ns;
  std::string id;
  std::string specJson;
  std::vector<Mount> rootfs;
  ProcessIo io;
  std::string optionsJson;  // none are defined yet; must be "" or a JSON object
};

// One process's state as the C ABI reports it.
struct TaskReport {
  std::string ns;
  std::string id;
  std::string cgroupPath;
  ProcessState process;
};

class RuncRuntime {
 public:
  // Reconnects to the shims of tasks left from an earlier run, in parallel.
  RuncRuntime(Host host, RuntimeConfig config);
  ~RuncRuntime();
  RuncRuntime(const RuncRuntime&) = delete;
  RuncRuntime& operator=(const RuncRuntime&) = delete;

  TaskReport create(const TaskCreate& request);
  TaskReport start(const std::string& ns, const std::string& id, const std::string& execId);
  void kill(const std::string& ns, const std::string& id, const std::string& execId, uint32_t signal, bool all);
  void pause(const std::string& ns, const std::string& id);
  void resume(const std::string& ns, const std::string& id);
  void exec(const std::string& ns, const std::string& id, const std::string& execId, const std::string& processJson,
            const ProcessIo& io);
  void resizePty(const std::string& ns, const std::string& id, const std::string& execId, uint32_t width,
                 uint32_t height);
  void closeStdin(const std::string& ns, const std::string& id, const std::string& execId);
  TaskReport wait(const std::string& ns, const std::string& id, const std::string& execId);
  TaskReport state(const std::string& ns, const std::string& id, const std::string& execId) const;
  // Each pid of the task, with runtime-specific info ({"exec_id"} for an exec's).
  std::vector<std::pair<uint32_t, std::string>> pids(const std::string& ns, const std::string& id);
  TaskReport remove(const std::string& ns, const std::string& id, const std::string& execId);
  std::vector<TaskReport> list() const;

 private:
  std::shared_ptr<Task> find(const std::string& ns, const std::string& id) const;
  // The task's shim; when it is gone, `code` with a message saying so.
  ShimClient liveShim(const Task& task, tenon_status code, const std::string& action) const;
  std::shared_ptr<Task> launch(const TaskCreate& request, json spec);
  void requireFreeSocket(const std::filesystem::path& socket) const;
  void adopt(const std::shared_ptr<Task>& task, UniqueFd events);
  void recover();
  TaskReport removeExec(const std::shared_ptr<Task>& task, const std::string& execId);
  ProcessState deleteInit(const std::shared_ptr<Task>& task);
  void forceDelete(const Task& task) const;
  Task::ExitPublisher exitPublisher(const std::shared_ptr<Task>& task) const;
  // The shim is gone: its processes stop, with what it left in the bundle.
  void stopWithoutShim(const std::shared_ptr<Task>& task);
  void onExit(const std::shared_ptr<Task>& task, const ProcessState& exit);
  void onShimGone(const std::shared_ptr<Task>& task);
  std::filesystem::path bundleDir(const std::string& ns, const std::string& id) const;
  std::filesystem::path socketPath(const std::string& ns, const std::string& id) const;

  Host host_;
  RuntimeConfig config_;
  std::filesystem::path state_;
  TaskEvents events_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Task>> tasks_;  // by "<ns>/<id>"
  std::set<std::string> creating_;
  ExitMonitor monitor_;  // last: its thread calls back into what is above
};

}  // namespace tenon::runtime_runc
