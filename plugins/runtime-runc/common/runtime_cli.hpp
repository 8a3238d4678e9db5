// The OCI runtime binary's command line (runc's, which crun and others
// share): one method per subcommand, each run to completion with a timeout.
// A failure is a tenon::Error carrying the runtime's own message, taken from
// its JSON log (--log, --log-format json) as containerd's go-runc does,
// because its stderr may be the container's.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/child_process.hpp"

namespace tenon::runtime_runc {

struct RuntimeOptions {
  std::string binary;                   // absolute path of runc, crun...
  std::filesystem::path root;           // its --root (state dir)
  std::vector<std::string> globalArgs;  // extra global options, before the subcommand
  std::string id;                       // the container's id for the runtime
  std::filesystem::path bundle;
  std::filesystem::path log;  // the runtime's --log file
};

class RuntimeCli {
 public:
  explicit RuntimeCli(RuntimeOptions options) : options_(std::move(options)) {}

  const RuntimeOptions& options() const { return options_; }

  // `create --bundle --pid-file [--console-socket]`: the container exists, its
  // init waits for start. `stdio` becomes the init's fds 0-2 (unless a TTY).
  void create(const std::filesystem::path& pidFile, const ChildStdio& stdio, const std::string& consoleSocket);
  void start();
  void kill(int signal, bool all);
  void pause();
  void resume();
  // `exec --detach --process --pid-file [--console-socket]`: runs an extra process now.
  void exec(const std::filesystem::path& processSpec, const std::filesystem::path& pidFile, const ChildStdio& stdio,
            const std::string& consoleSocket);
  // `ps --format json`: the pids of the container's processes.
  std::vector<uint32_t> ps();
  // `delete [--force]`: forgets the container (--force kills it first).
  void remove(bool force);

 private:
  CommandResult run(const std::string& subcommand, std::vector<std::string> args, const ChildStdio& stdio);
  std::string lastLoggedError(uintmax_t from) const;

  RuntimeOptions options_;
};

// The pid a runtime wrote to `pidFile`; internal naming the file when there is none.
uint32_t readPidFile(const std::filesystem::path& pidFile);

}  // namespace tenon::runtime_runc
