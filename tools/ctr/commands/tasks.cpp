// `ctr tasks`: the running instances of containers — start (attached, or -d),
// ls, kill, pause, resume, exec, ps, wait, rm, metrics — as containerd's ctr has them.
#include <fmt/core.h>
#include <signal.h>
#include <string.h>

#include <charconv>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

#include "../attached_task.hpp"
#include "../commands.hpp"
#include "../each_argument.hpp"
#include "../errors.hpp"
#include "../json_output.hpp"
#include "../list_format.hpp"
#include "../table.hpp"
#include "../task_cleanup.hpp"
#include "containers.capnp.h"

namespace tenon::ctr {
namespace {

const char* statusName(rpc::Status status) {
  switch (status) {
    case rpc::Status::CREATED: return "CREATED";
    case rpc::Status::RUNNING: return "RUNNING";
    case rpc::Status::STOPPED: return "STOPPED";
    case rpc::Status::PAUSED: return "PAUSED";
    case rpc::Status::PAUSING: return "PAUSING";
    default: return "UNKNOWN";
  }
}

// "SIGTERM", "TERM" or "15".
uint32_t parseSignal(const std::string& text) {
  uint32_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error == std::errc() && end == text.data() + text.size() && number > 0 && number < NSIG) return number;
  std::string name = text.starts_with("SIG") ? text.substr(3) : text;
  for (int s = 1; s < NSIG; ++s)
    if (const char* abbrev = ::sigabbrev_np(s); abbrev && name == abbrev) return static_cast<uint32_t>(s);
  fail(TENON_INVALID_ARGUMENT, fmt::format("unknown signal {:?}", text));
}

// The container's spec, which says whether its process has a terminal.
nlohmann::json containerSpec(Connection& connection, const std::string& id) {
  auto request = connection.tenon().containersRequest().send().getService().getRequest();
  connection.setContext(request.initCtx());
  request.setId(id);
  return nlohmann::json::parse(toString(connection.wait(request.send()).getContainer().getSpec()));
}

struct StartArgs {
  std::string id;
  bool detach = false;
};

void startTask(const GlobalOptions& options, const StartArgs& args) {
  captureForwardedSignals();
  Connection connection(options);
  bool tty = containerSpec(connection, args.id).value("/process/terminal"_json_pointer, false);
  ProcessRef process{args.id, ""};
  uint32_t status = runAttached(connection, options, process, tty, args.detach, [&](rpc::Io::Builder io) {
    auto request = tasksService(connection).createRequest();
    connection.setContext(request.initCtx());
    request.setContainerId(args.id);
    request.setIo(io.asReader());
    connection.wait(request.send());
  });
  if (args.detach) return;
  deleteTask(connection, process);
  if (status != 0) throw ExitWith(static_cast<int>(status));
}

struct ExecArgs {
  std::string id, execId, cwd, user;
  bool tty = false, detach = false;
  std::vector<std::string> env;
};

// The exec's process: the container's, with the command (and --cwd, --env, --tty) replaced.
nlohmann::json execProcess(Connection& connection, const ExecArgs& args, const std::vector<std::string>& command) {
  if (command.empty()) fail(TENON_INVALID_ARGUMENT, "exec needs a command after the container id");
  nlohmann::json process = containerSpec(connection, args.id).at("process");
  process["args"] = command;
  process["terminal"] = args.tty;
  if (!args.cwd.empty()) process["cwd"] = args.cwd;
  for (const std::string& e : args.env) process["env"].push_back(e);
  return process;
}

void execTask(const GlobalOptions& options, const ExecArgs& args, const std::vector<std::string>& command) {
  if (args.execId.empty()) fail(TENON_INVALID_ARGUMENT, "--exec-id is required");
  captureForwardedSignals();
  Connection connection(options);
  std::string process = execProcess(connection, args, command).dump();
  ProcessRef ref{args.id, args.execId};
  uint32_t status = runAttached(connection, options, ref, args.tty, args.detach, [&](rpc::Io::Builder io) {
    auto request = tasksService(connection).execRequest();
    connection.setContext(request.initCtx());
    request.setContainerId(args.id);
    request.setExecId(args.execId);
    request.setProcess(process);
    request.setIo(io.asReader());
    connection.wait(request.send());
  });
  if (args.detach) return;
  deleteTask(connection, ref);
  if (status != 0) throw ExitWith(static_cast<int>(status));
}

void listTasks(const GlobalOptions& options, const ListFormat& format) {
  Connection connection(options);
  auto request = tasksService(connection).listRequest();
  connection.setContext(request.initCtx());
  auto response = connection.wait(request.send());
  ListOutput output(format, {"TASK", "PID", "STATUS"});
  for (auto task : response.getTasks()) {
    std::string id = toString(task.getContainerId());
    std::string status = statusName(task.getStatus());
    output.add(id, {{"id", id}, {"pid", task.getPid()}, {"status", status}, {"exit_status", task.getExitStatus()}},
               {id, std::to_string(task.getPid()), status});
  }
  output.print();
}

void listProcesses(const GlobalOptions& options, const std::string& id) {
  Connection connection(options);
  auto request = tasksService(connection).pidsRequest();
  connection.setContext(request.initCtx());
  request.setContainerId(id);
  auto response = connection.wait(request.send());
  fmt::print("PID\tINFO\n");
  for (auto p : response.getProcesses()) fmt::print("{}\t{}\n", p.getPid(), p.getInfo().size() ? toString(p.getInfo()) : "-");
}

// Prints the exit status, and exits with it so that scripts can test it.
void waitTask(const GlobalOptions& options, const ProcessRef& process) {
  Connection connection(options);
  auto request = tasksService(connection).waitRequest();
  connection.setContext(request.initCtx());
  request.setContainerId(process.containerId);
  request.setExecId(process.execId);
  uint32_t status = connection.wait(request.send()).getTask().getExitStatus();
  fmt::print("{}\n", status);
  if (status != 0) throw ExitWith(static_cast<int>(status));
}

// "memory.usage_bytes" or "blkio.read_bytes{device=\"8:0\"}".
std::string sampleName(rpc::Sample::Reader sample) {
  std::string name = toString(sample.getName());
  if (sample.getLabels().size() == 0) return name;
  std::string labels;
  for (auto label : sample.getLabels())
    labels += fmt::format("{}{}=\"{}\"", labels.empty() ? "" : ",", toString(label.getKey()), toString(label.getValue()));
  return name + "{" + labels + "}";
}

// Counters and byte counts print as integers, ratios (cpu.limit_cpus) as they are.
std::string sampleValue(double value) {
  if (std::nearbyint(value) == value && std::fabs(value) < 9.007199254740992e15)
    return std::to_string(static_cast<int64_t>(value));
  return fmt::format("{}", value);
}

Json metricsJson(rpc::TaskMetrics::Reader metrics) {
  Json samples = Json::array();
  for (auto sample : metrics.getSamples()) {
    Json labels = Json::object();
    for (auto label : sample.getLabels()) labels[toString(label.getKey())] = toString(label.getValue());
    samples.push_back({{"name", toString(sample.getName())}, {"value", sample.getValue()}, {"labels", labels}});
  }
  return {{"id", toString(metrics.getContainerId())}, {"timestamp", rfc3339(metrics.getTimestamp())}, {"samples", samples}};
}

// The task's cgroup stats, METRIC VALUE rows (or JSON); an unknown task is not_found.
void printMetrics(const GlobalOptions& options, const std::string& id, const std::string& format) {
  Connection connection(options);
  auto request = tasksService(connection).metricsRequest();
  connection.setContext(request.initCtx());
  request.initFilters(1).set(0, "id==" + id);
  auto response = connection.wait(request.send());
  for (auto metrics : response.getMetrics()) {
    if (format == "json") {
      printJson(metricsJson(metrics));
      continue;
    }
    Table header({"ID", "TIMESTAMP"});
    header.add({toString(metrics.getContainerId()), rfc3339(metrics.getTimestamp())});
    header.print(stdout);
    fmt::print("\n");
    Table table({"METRIC", "VALUE"});
    for (auto sample : metrics.getSamples()) table.add({sampleName(sample), sampleValue(sample.getValue())});
    table.print(stdout);
  }
}

void addMetrics(CLI::App& tasks, const GlobalOptions& options) {
  auto id = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  CLI::App* cmd = tasks.add_subcommand("metrics", "Print a task's resource use, from its cgroup");
  cmd->alias("metric");
  cmd->add_option("id", *id, "Container id")->required();
  cmd->add_option("--format", *format, "Output format: table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([&options, id, format] { printMetrics(options, *id, *format); });
}

void addStart(CLI::App& tasks, const GlobalOptions& options) {
  auto args = std::make_shared<StartArgs>();
  CLI::App* cmd = tasks.add_subcommand("start", "Start a container's task, attached to ctr's stdio");
  cmd->add_option("id", args->id, "Container id")->required();
  cmd->add_flag("-d,--detach", args->detach, "Start the task and return");
  cmd->callback([&options, args] { startTask(options, *args); });
}

void addExec(CLI::App& tasks, const GlobalOptions& options) {
  auto args = std::make_shared<ExecArgs>();
  CLI::App* cmd = tasks.add_subcommand("exec", "Run an extra process in a running task");
  cmd->add_option("--exec-id", args->execId, "Id of the new process")->required();
  cmd->add_flag("-t,--tty", args->tty, "Give the process a terminal");
  cmd->add_flag("-d,--detach", args->detach, "Start the process and return");
  cmd->add_option("--cwd", args->cwd, "Working directory of the process");
  // One value each time: a vector option would otherwise swallow the id and command after it.
  cmd->add_option("--env", args->env, "Add an environment variable (KEY=value), repeatable")->allow_extra_args(false);
  cmd->add_option("id", args->id, "Container id")->required();
  // Everything after the container id is the command, options included
  // (`sh -c ...`): not ctr's to parse, nor to pass up to the global options.
  cmd->prefix_command();
  cmd->fallthrough(false);
  cmd->callback([&options, args, cmd] { execTask(options, *args, cmd->remaining()); });
}

void addKill(CLI::App& tasks, const GlobalOptions& options) {
  struct Args {
    std::string id, execId, signal = "SIGTERM";
    bool all = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = tasks.add_subcommand("kill", "Send a signal to a task");
  cmd->add_option("id", args->id, "Container id")->required();
  cmd->add_option("-s,--signal", args->signal, "Signal to send")->capture_default_str();
  cmd->add_option("--exec-id", args->execId, "Signal this exec instead of the init process");
  cmd->add_flag("-a,--all", args->all, "Signal every process of the task");
  cmd->callback([&options, args] {
    Connection connection(options);
    killProcess(connection, {args->id, args->execId}, parseSignal(args->signal), args->all);
  });
}

// pause and resume: one container id each, same shape.
template <class MakeRequest>
void addPerTask(CLI::App& tasks, const GlobalOptions& options, const char* name, const char* help,
                MakeRequest makeRequest) {
  auto ids = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = tasks.add_subcommand(name, help);
  cmd->add_option("ids", *ids, "Container ids")->required();
  cmd->callback([&options, ids, makeRequest] {
    Connection connection(options);
    forEachArgument(*ids, options.debug, [&](const std::string& id) {
      auto request = makeRequest(tasksService(connection));
      connection.setContext(request.initCtx());
      request.setContainerId(id);
      connection.wait(request.send());
    });
  });
}

void addRemove(CLI::App& tasks, const GlobalOptions& options) {
  struct Args {
    std::vector<std::string> ids;
    bool force = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = tasks.add_subcommand("rm", "Delete stopped tasks");
  cmd->alias("delete");
  cmd->add_option("ids", args->ids, "Container ids")->required();
  cmd->add_flag("-f,--force", args->force, "Kill a running task first");
  cmd->callback([&options, args] {
    Connection connection(options);
    forEachArgument(args->ids, options.debug, [&](const std::string& id) {
      if (args->force) {
        try {
          killProcess(connection, {id, ""}, SIGKILL, true);
        } catch (...) {
          // Not running: delete says what is wrong if anything is.
        }
        auto wait = tasksService(connection).waitRequest();
        connection.setContext(wait.initCtx());
        wait.setContainerId(id);
        connection.wait(wait.send());
      }
      deleteTask(connection, {id, ""});
    });
  });
}

}  // namespace

void addTasksCommand(CLI::App& ctr, const GlobalOptions& options) {
  CLI::App* tasks = ctr.add_subcommand("tasks", "Manage tasks, the running instances of containers");
  tasks->alias("t");
  printHelpWhenRunAlone(*tasks);
  addStart(*tasks, options);
  addExec(*tasks, options);
  addKill(*tasks, options);
  addPerTask(*tasks, options, "pause", "Freeze every process of tasks",
             [](rpc::Tasks::Client service) { return service.pauseRequest(); });
  addPerTask(*tasks, options, "resume", "Thaw paused tasks",
             [](rpc::Tasks::Client service) { return service.resumeRequest(); });
  addRemove(*tasks, options);
  addMetrics(*tasks, options);

  auto format = std::make_shared<ListFormat>();
  CLI::App* ls = tasks->add_subcommand("ls", "List the namespace's tasks");
  ls->alias("list");
  addListFormatOptions(*ls, *format, "Print only the container ids");
  ls->callback([&options, format] { listTasks(options, *format); });

  auto id = std::make_shared<std::string>();
  CLI::App* ps = tasks->add_subcommand("ps", "List the processes of a task");
  ps->add_option("id", *id, "Container id")->required();
  ps->callback([&options, id] { listProcesses(options, *id); });

  auto process = std::make_shared<ProcessRef>();
  CLI::App* wait = tasks->add_subcommand("wait", "Wait for a task to exit; print its exit status and exit with it");
  wait->add_option("id", process->containerId, "Container id")->required();
  wait->add_option("--exec-id", process->execId, "Wait for this exec instead");
  wait->callback([&options, process] { waitTask(options, *process); });
}

}  // namespace tenon::ctr
