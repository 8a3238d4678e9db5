// ctr: a plain client of tenond for development and debugging, built only on the public
// RPC schema in sdk/capnp/.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <charconv>
#include <cmath>
#include <exception>
#include <string>

#include "commands.hpp"
#include "errors.hpp"
#include "options.hpp"
#include "tenon_build_config.h"

namespace {

using tenon::ctr::GlobalOptions;

std::string nonNegativeSeconds(const std::string& value) {
  double seconds = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  bool parsed = error == std::errc() && end == value.data() + value.size();
  bool valid = parsed && seconds >= 0 && std::isfinite(seconds);
  return valid ? "" : fmt::format("{} is not a number of seconds (0 or more)", value);
}

void addGlobalOptions(CLI::App& app, GlobalOptions& options) {
  app.add_option("-a,--address", options.address, "Address of tenond's socket (unix:///path or /path)")
      ->envname("TENON_ADDRESS")
      ->capture_default_str();
  app.add_option("-n,--namespace", options.ns, "Namespace to act in")
      ->envname("TENON_NAMESPACE")
      ->capture_default_str();
  app.add_option("--timeout", options.timeoutSeconds,
                 "Seconds to wait for connecting and the call; 0 waits forever")
      ->check(CLI::Validator(nonNegativeSeconds, "SECONDS"))
      ->capture_default_str();
  app.add_option("--lease", options.lease, "Lease that holds what the command creates (see ctr leases)")
      ->envname("TENON_LEASE");
  app.add_flag("--debug", options.debug, "Print error codes and connection details");
}

// Usage errors read like every other error of ctr: one line on stderr.
std::string usageError(const CLI::App*, const CLI::Error& error) {
  return fmt::format("ctr: {} (see --help)\n", error.what());
}

}  // namespace

int main(int argc, char** argv) {
  GlobalOptions options;
  CLI::App app("A client for tenond, the container runtime daemon", "ctr");
  // Set before the subcommands are added, which inherit them: global options may come
  // after the command too (`ctr plugins ls -n ns`), and usage errors look the same everywhere.
  app.fallthrough();
  app.failure_message(usageError);
  app.set_version_flag("-v,--version", "ctr " TENON_VERSION);
  addGlobalOptions(app, options);
  tenon::ctr::printHelpWhenRunAlone(app);

  tenon::ctr::addVersionCommand(app, options);
  tenon::ctr::addInfoCommand(app, options);
  tenon::ctr::addPluginsCommand(app, options);
  tenon::ctr::addNamespacesCommand(app, options);
  tenon::ctr::addContentCommand(app, options);
  tenon::ctr::addImagesCommand(app, options);
  tenon::ctr::addContainersCommand(app, options);
  tenon::ctr::addEventsCommand(app, options);
  tenon::ctr::addLeasesCommand(app, options);
  tenon::ctr::addSnapshotsCommand(app, options);
  tenon::ctr::addGcCommand(app, options, "gc");
  tenon::ctr::addRunCommand(app, options);
  tenon::ctr::addTasksCommand(app, options);

  try {
    app.parse(argc, argv);  // runs the chosen command's callback
  } catch (const CLI::ParseError& error) {
    // --help and --version are "errors" that exit 0; every real failure exits 1.
    return app.exit(error) == 0 ? 0 : 1;
  } catch (const tenon::ctr::ReportedFailure&) {
    return 1;
  } catch (const tenon::ctr::ExitWith& exit) {
    return exit.code;
  } catch (...) {
    tenon::ctr::report(tenon::ctr::describe(std::current_exception()), options.debug);
    return 1;
  }
  return 0;
}
