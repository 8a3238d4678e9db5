// tenond: wires the daemon together, explicitly, in the order it must start
// and (reversed) stop: config, directories, root lock, plugins, RPC.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <kj/async-unix.h>
#include <tenon/error.hpp>

#include "daemon/directory_lock.hpp"
#include "daemon/systemd_notify.hpp"
#include "daemon/unix_listener.hpp"
#include "daemon_cli.hpp"
#include "fs/directories.hpp"
#include "introspection/introspection_service.hpp"
#include "log/logger.hpp"
#include "plugins/plugin_set.hpp"
#include "rpc/rpc_server.hpp"
#include "tenon_build_config.h"
#include "version/version_service.hpp"

namespace {

using namespace tenon;

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int serve(const config::Config& config, log::Logger& logger) {
  // root holds image data (setuid binaries included): private. state must be
  // traversable by containers for their bundles, hence 0711.
  fs::ensureDirectory(config.root, 0700);
  fs::ensureDirectory(config.state, 0711);
  // One daemon per root and per state: both hold what shims and plugins share.
  daemon::DirectoryLock rootLock(config.root, "root");
  daemon::DirectoryLock stateLock(config.state, "state");

  // Signals are captured before any thread exists, so that every thread blocks them.
  kj::UnixEventPort::captureSignal(SIGTERM);
  kj::UnixEventPort::captureSignal(SIGINT);
  ::signal(SIGPIPE, SIG_IGN);
  auto io = kj::setupAsyncIo();

  // Bind before plugins start, so that a socket a live server holds stops us
  // before any plugin touches shared state; connections wait in the backlog.
  daemon::UnixListener listener({config.rpc.address, config.rpc.mode, config.rpc.uid, config.rpc.gid});

  plugins::ServiceRegistry registry;
  plugins::PluginSet pluginSet(registry, logger, [&logger](const std::string& ns, const std::string& topic,
                                                           const std::string& payload) {
    logger.debug("event", {{"namespace", ns}, {"topic", topic}, {"payload", payload}});
  });
  pluginSet.load({config.pluginDirs, config.pluginFiles, config.plugins, config.root, config.state});

  introspection::ServerFacts facts{static_cast<uint32_t>(::getpid()), config.root, config.state,
                                   config.rpc.address, nowNanos()};
  rpc::Tenon::Client bootstrap = kj::heap<rpc::TenonService>(
      kj::heap<version::VersionService>(), kj::heap<introspection::IntrospectionService>(pluginSet, facts));

  int signal = rpc::serveUntilSignal(io, listener.releaseFd(), kj::mv(bootstrap), [&] {
    logger.info("serving", {{"address", config.rpc.address}, {"version", TENON_VERSION}});
    daemon::notifyReady();
  });
  daemon::notifyStopping();
  logger.info("shutting down", {{"signal", ::strsignal(signal)}});
  pluginSet.shutdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  daemon::CommandLine cli = daemon::parseCommandLine(argc, argv);
  if (cli.action == daemon::CommandLine::Action::exit) return cli.exitCode;
  if (cli.action == daemon::CommandLine::Action::printDefaultConfig) {
    std::fputs(config::defaultConfigText().c_str(), stdout);
    return 0;
  }
  log::Logger logger;
  try {
    config::Config config = daemon::resolveConfig(cli);
    logger.setLevel(config.logLevel);
    return serve(config, logger);
  } catch (const Error& e) {
    std::fprintf(stderr, "tenond: %s\n", e.what());
    return 1;
  } catch (const kj::Exception& e) {
    std::fprintf(stderr, "tenond: %s\n", e.getDescription().cStr());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tenond: %s\n", e.what());
    return 1;
  }
}
