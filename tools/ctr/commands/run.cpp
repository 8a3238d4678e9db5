// `ctr run [--rm] [-t] [-d] IMAGE ID [CMD...]`: makes a container from an
// image (see container_setup) and runs its task attached to ctr's stdio; ctr
// exits with the container's exit code. Without --rm the stopped container
// stays (its task is deleted), as with containerd's ctr.
#include <fmt/core.h>

#include "../attached_task.hpp"
#include "../commands.hpp"
#include "../container_setup.hpp"
#include "../errors.hpp"
#include "../task_cleanup.hpp"

namespace tenon::ctr {

namespace {

struct RunArgs {
  NewContainer container;
  bool remove = false;
  bool detach = false;
  ContainerFlags flags;
};

void run(const GlobalOptions& options, RunArgs& args, const std::vector<std::string>& command) {
  args.container.args = command;
  captureForwardedSignals();  // before the stdio pumps' threads exist
  Connection connection(options);
  createContainer(connection, options, args.flags, args.container, true);
  ProcessRef process{args.container.id, ""};
  uint32_t status = 0;
  try {
    status = runAttached(connection, options, process, args.flags.tty, args.detach, [&](rpc::Io::Builder io) {
      auto request = tasksService(connection).createRequest();
      connection.setContext(request.initCtx());
      request.setContainerId(process.containerId);
      request.setIo(io.asReader());
      connection.wait(request.send());
    });
  } catch (...) {
    // No half-made container: what this run created goes with its failure.
    deleteTaskQuietly(connection, process);
    deleteContainerQuietly(connection, process.containerId);
    throw;
  }
  if (args.detach) return;
  deleteTask(connection, process);
  if (args.remove) deleteContainer(connection, process.containerId);
  if (status != 0) throw ExitWith(static_cast<int>(status));
}

}  // namespace

void addRunCommand(CLI::App& ctr, const GlobalOptions& options) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = ctr.add_subcommand("run", "Run a container from an image");
  cmd->add_option("image", args->container.image, "Image name")->required();
  cmd->add_option("id", args->container.id, "Container id")->required();
  cmd->add_flag("--rm", args->remove, "Remove the container (and its snapshot) when the task exits");
  cmd->add_flag("-d,--detach", args->detach, "Start the task and return, without attaching stdio");
  addContainerFlags(*cmd, args->flags);
  cmd->footer("Arguments after ID are the command and its options, as given.");
  // Everything after the container id is the command, options included
  // (`sh -c ...`): not ctr's to parse, nor to pass up to the global options.
  cmd->prefix_command();
  cmd->fallthrough(false);
  cmd->callback([&options, args, cmd] { run(options, *args, cmd->remaining()); });
}

}  // namespace tenon::ctr
