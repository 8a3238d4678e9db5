// `ctr containers rm ID...`: like containerd's, removes each container and its root
// filesystem snapshot (see deleteContainer).
#include "../remove_command.hpp"
#include "../task_cleanup.hpp"
#include "containers_commands.hpp"

namespace tenon::ctr {

void addContainersRemoveCommand(CLI::App& containers, const GlobalOptions& options) {
  addRemoveCommand(containers, options,
                   "Remove containers and their snapshots; each one that fails is reported (a container "
                   "with a task is refused)",
                   "The containers' ids", deleteContainer);
}

}  // namespace tenon::ctr
