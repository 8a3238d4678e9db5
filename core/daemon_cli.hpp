// tenond's command line.
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"

namespace tenon::daemon {

struct CommandLine {
  enum class Action { serve, printDefaultConfig, exit } action = Action::serve;
  int exitCode = 0;  // for Action::exit (--help, bad flags)
  std::optional<std::string> configPath;
  std::optional<std::string> logLevel;
  std::optional<std::string> root;
  std::optional<std::string> state;
  std::optional<std::string> address;
};

CommandLine parseCommandLine(int argc, char** argv);

// The config: --config FILE, else /etc/tenon/config.toml if it exists, else
// the defaults; then the flags that override it. Throws tenon::Error.
config::Config resolveConfig(const CommandLine& cli);

}  // namespace tenon::daemon
