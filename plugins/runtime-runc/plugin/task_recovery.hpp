// What a (re)starting plugin finds under its state directory: the tasks an
// earlier run left, each reconnected to its shim. All shims are asked at
// once, in parallel, and a dead one fails fast (no socket, or connection
// refused), so that a host with many containers restarts quickly. A dead
// shim's task comes back stopped, with the exit status its shim wrote to the
// bundle, or 255 when there is none. A bundle without task.json never got a
// shim (the daemon died mid-create): its rootfs is unmounted and it goes.
#pragma once

#include <filesystem>
#include <memory>
#include <tenon/plugin.hpp>
#include <tenon/unique_fd.hpp>
#include <vector>

#include "plugin/task.hpp"

namespace tenon::runtime_runc {

struct RecoveredTask {
  std::shared_ptr<Task> task;
  UniqueFd events;  // the shim's `events` subscription; empty when the shim is dead,
                    // in which case the task holds the init as last known, to be stopped
};

// The tasks in `tasksDir` (<tasksDir>/<ns>/<id>/); problems are logged through `host`.
std::vector<RecoveredTask> recoverTasks(const std::filesystem::path& tasksDir, const Host& host);

}  // namespace tenon::runtime_runc
