// The subcommands of `ctr containers` that need a file of their own; containers.cpp
// adds them to the group (a `create` lives in its own file and is added there too).
#ifndef TENON_CTR_COMMANDS_CONTAINERS_COMMANDS_HPP
#define TENON_CTR_COMMANDS_CONTAINERS_COMMANDS_HPP

#include <CLI/CLI.hpp>

#include "../connection.hpp"
#include "../options.hpp"
#include "containers.capnp.h"

namespace tenon::ctr {

// `ctr containers rm ID...`: the records, and each one's root filesystem snapshot.
void addContainersRemoveCommand(CLI::App& containers, const GlobalOptions& options);

// `ctr containers create IMAGE ID [CMD...]`: a container from an image, without a task.
void addContainersCreateCommand(CLI::App& containers, const GlobalOptions& options);

inline rpc::Containers::Client containersService(Connection& connection) {
  return connection.tenon().containersRequest().send().getService();
}

}  // namespace tenon::ctr

#endif  // TENON_CTR_COMMANDS_CONTAINERS_COMMANDS_HPP
