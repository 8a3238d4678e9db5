#include "daemon_cli.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <tenon/error.hpp>

#include "tenon_build_config.h"

namespace tenon::daemon {

namespace {
constexpr const char* kDefaultConfigPath = "/etc/tenon/config.toml";
}

CommandLine parseCommandLine(int argc, char** argv) {
  CommandLine cli;
  CLI::App app{"tenond: the tenon container runtime daemon", "tenond"};
  app.set_version_flag("--version", std::string("tenond ") + TENON_VERSION);
  app.add_option("-c,--config", cli.configPath,
                 std::string("config file (default ") + kDefaultConfigPath + " if it exists)");
  app.add_option("-l,--log-level", cli.logLevel, "error, warn, info, debug or trace (overrides the config)");
  app.add_option("--root", cli.root, "persistent data directory (overrides the config)");
  app.add_option("--state", cli.state, "runtime state directory (overrides the config)");
  app.add_option("-a,--address", cli.address, "unix socket to serve on (overrides the config)");
  CLI::App* configCmd = app.add_subcommand("config", "config helpers");
  configCmd->require_subcommand(1);
  CLI::App* defaultCmd = configCmd->add_subcommand("default", "print the default config, with comments");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    cli.action = CommandLine::Action::exit;
    // --help exits 0; every real usage error exits 1, like any other failure.
    cli.exitCode = app.exit(e) == 0 ? 0 : 1;
    return cli;
  }
  if (defaultCmd->parsed()) cli.action = CommandLine::Action::printDefaultConfig;
  return cli;
}

config::Config resolveConfig(const CommandLine& cli) {
  config::Config config;
  if (cli.configPath) {
    config = config::loadConfig(*cli.configPath);
  } else if (std::filesystem::exists(kDefaultConfigPath)) {
    config = config::loadConfig(kDefaultConfigPath);
  }
  if (cli.logLevel) {
    auto level = log::parseLevel(*cli.logLevel);
    if (!level) fail(TENON_INVALID_ARGUMENT, "--log-level: unknown level \"" + *cli.logLevel + "\"");
    config.logLevel = *level;
  }
  auto absolute = [](const std::string& flag, const std::string& value) {
    if (value.empty() || value[0] != '/') fail(TENON_INVALID_ARGUMENT, flag + " must be an absolute path");
    return value;
  };
  if (cli.root) config.root = absolute("--root", *cli.root);
  if (cli.state) config.state = absolute("--state", *cli.state);
  if (cli.address) {
    config.rpc.address = absolute("--address", *cli.address);
    if (config.rpc.address.size() > 107)
      fail(TENON_INVALID_ARGUMENT, "--address is " + std::to_string(config.rpc.address.size()) +
                                       " bytes long; a unix socket path holds at most 107");
  }
  return config;
}

}  // namespace tenon::daemon
