// A real tenond for one test: its own TempDir holding config.toml, root, state,
// socket and log, started with --config and always stopped by the destructor.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"
#include "temp_dir.hpp"

namespace tenon::test {

struct DaemonOptions {
  std::string tenond;                    // path of the tenond binary
  std::vector<std::string> pluginDirs;   // plugin_dirs
  std::vector<std::string> pluginFiles;  // plugin_files
  // "" puts each inside the daemon's own TempDir; set them to share another daemon's.
  std::string root, state, address;
  std::string rpcToml;    // more lines for the [rpc] table ("mode = 0o600")
  std::string extraToml;  // appended after [rpc]: [plugins."<type>.<id>"] tables
  // When set, written as config.toml instead of the generated config, and root, state and
  // address are passed as --root, --state and --address.
  std::optional<std::string> configText;
  std::chrono::milliseconds startTimeout{10'000};  // to serve, or to exit when expected to
  std::chrono::milliseconds stopTimeout{10'000};   // from SIGTERM to SIGKILL
};

class TestDaemon {
 public:
  // Writes the config; does not start tenond.
  explicit TestDaemon(DaemonOptions options);
  // stop(): a daemon never outlives its test.
  ~TestDaemon();
  TestDaemon(const TestDaemon&) = delete;
  TestDaemon& operator=(const TestDaemon&) = delete;

  // Starts tenond and waits until its socket accepts a connection. Throws
  // std::runtime_error, with the log, if it exits first or does not serve in time.
  // For a daemon that should own its address: one expected to refuse because
  // another server listens there is started with startExpectingExit().
  void start();
  // Starts tenond expecting it to refuse: its exit status. Throws (after killing it)
  // if it is still running after startTimeout.
  ExitStatus startExpectingExit();
  // SIGTERM, then SIGKILL after stopTimeout: how the last run ended ({} if never started).
  ExitStatus stop();
  // SIGKILL, as a crash would, and reaps it.
  void kill9();
  bool running() const;

  pid_t pid() const;
  const std::string& address() const { return address_; }
  const std::string& root() const { return root_; }
  const std::string& state() const { return state_; }
  const std::string& configPath() const { return config_; }
  const TempDir& dir() const { return dir_; }
  // What tenond wrote to stdout and stderr in its last run.
  std::string log() const;

 private:
  std::string generatedConfig() const;
  std::vector<std::string> argv() const;
  void launch();

  DaemonOptions options_;
  TempDir dir_{"tenon-daemon"};
  std::string root_, state_, address_, config_, logFile_;
  std::unique_ptr<BackgroundProcess> process_;
  std::optional<ExitStatus> lastStatus_;
};

// True when a unix socket at `path` accepts a connection right now.
bool socketAccepts(const std::string& path);

}  // namespace tenon::test
