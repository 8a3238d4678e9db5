#include "task_cleanup.hpp"

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

void deleteContainer(Connection& connection, const std::string& id) {
  auto containers = connection.tenon().containersRequest().send().getService();
  auto get = containers.getRequest();
  connection.setContext(get.initCtx());
  get.setId(id);
  auto found = connection.wait(get.send());
  std::string snapshotter = toString(found.getContainer().getSnapshotter());
  std::string key = toString(found.getContainer().getSnapshotKey());
  auto remove = containers.deleteRequest();
  connection.setContext(remove.initCtx());
  remove.setId(id);
  connection.wait(remove.send());
  if (key.empty()) return;
  auto service = connection.tenon().snapshotsRequest();
  service.setName(snapshotter);
  auto removeSnapshot = service.send().getService().removeRequest();
  connection.setContext(removeSnapshot.initCtx());
  removeSnapshot.setKey(key);
  try {
    connection.wait(removeSnapshot.send());
  } catch (...) {
    if (describe(std::current_exception()).code != "not_found") throw;
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
