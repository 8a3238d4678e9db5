// `ctr containers rm ID...`: like containerd's, removes each container and its root
// filesystem snapshot. The record goes first: the daemon refuses while the container has
// a task, so a snapshot is never pulled from under a running container.
#include <fmt/core.h>

#include <exception>
#include <string>
#include <tenon/error.hpp>

#include "../errors.hpp"
#include "../remove_command.hpp"
#include "containers_commands.hpp"
#include "snapshots.capnp.h"

namespace tenon::ctr {
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

void removeContainer(Connection& connection, const std::string& id) {
  rpc::Containers::Client service = containersService(connection);
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

}  // namespace

void addContainersRemoveCommand(CLI::App& containers, const GlobalOptions& options) {
  addRemoveCommand(containers, options,
                   "Remove containers and their snapshots; each one that fails is reported (a container "
                   "with a task is refused)",
                   "The containers' ids", removeContainer);
}

}  // namespace tenon::ctr
