#include "task_cleanup.hpp"

#include <fmt/core.h>

#include <tenon/error.hpp>

#include "containers.capnp.h"
#include "errors.hpp"
#include "snapshots.capnp.h"

namespace tenon::ctr {

uint32_t deleteTask(Connection& connection, const ProcessRef& process) {
  auto request = tasksService(connection).deleteRequest();
  connection.setContext(request.initCtx());
  request.setContainerId(process.containerId);
  request.setExecId(process.execId);
  return connection.wait(request.send()).getTask().getExitStatus();
}

namespace {

// Removes the snapshot `key` of `snapshotter`; one that is gone already is fine, a
// snapshotter that is not loaded is not.
void removeSnapshot(Connection& connection, const std::string& snapshotter, const std::string& key) {
  auto lookup = connection.tenon().snapshotsRequest();
  lookup.setName(snapshotter);
  // Waited for on its own: its not_found must not pass for a missing snapshot's.
  rpc::Snapshots::Client service = connection.wait(lookup.send()).getService();
  auto remove = service.removeRequest();
  connection.setContext(remove.initCtx());
  remove.setKey(key);
  try {
    connection.wait(remove.send());
  } catch (...) {
    if (describe(std::current_exception()).code != "not_found") throw;
  }
}

}  // namespace

// The record goes first: the daemon refuses while the container has a task, so a
// snapshot is never pulled from under a running container.
void deleteContainer(Connection& connection, const std::string& id) {
  auto service = connection.tenon().containersRequest().send().getService();
  auto get = service.getRequest();
  connection.setContext(get.initCtx());
  get.setId(id);
  auto found = connection.wait(get.send());
  std::string snapshotter = toString(found.getContainer().getSnapshotter());
  std::string key = toString(found.getContainer().getSnapshotKey());

  auto remove = service.deleteRequest();
  connection.setContext(remove.initCtx());
  remove.setId(id);
  connection.wait(remove.send());
  if (key.empty()) return;
  try {
    removeSnapshot(connection, snapshotter, key);
  } catch (...) {
    Failure failure = describe(std::current_exception());
    fail(TENON_INTERNAL, fmt::format("container {} was removed but not its snapshot {} ({}): {}", id, key,
                                     snapshotter, failure.message));
  }
}

void deleteTaskQuietly(Connection& connection, const ProcessRef& process) noexcept {
  try {
    deleteTask(connection, process);
  } catch (...) {
  }
}

void deleteContainerQuietly(Connection& connection, const std::string& id) noexcept {
  try {
    deleteContainer(connection, id);
  } catch (...) {
  }
}

}  // namespace tenon::ctr
