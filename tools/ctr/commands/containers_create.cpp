// `ctr containers create IMAGE ID [CMD...]`: the container `ctr run` would make
// (snapshot, spec, record; see container_setup), without a task; start it with
// `ctr tasks start ID`.
#include <memory>

#include "../container_setup.hpp"
#include "containers_commands.hpp"

namespace tenon::ctr {

void addContainersCreateCommand(CLI::App& containers, const GlobalOptions& options) {
  struct Args {
    NewContainer container;
    ContainerFlags flags;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = containers.add_subcommand("create", "Create a container from an image");
  cmd->add_option("image", args->container.image, "Image name")->required();
  cmd->add_option("id", args->container.id, "Container id")->required();
  addContainerFlags(*cmd, args->flags);
  cmd->footer("Arguments after ID are the command and its options, as given.");
  // As `ctr run`: the command after the id is not ctr's to parse.
  cmd->prefix_command();
  cmd->fallthrough(false);
  cmd->callback([&options, args, cmd] {
    args->container.args = cmd->remaining();
    Connection connection(options);
    createContainer(connection, options, args->flags, args->container, true);
  });
}

}  // namespace tenon::ctr
