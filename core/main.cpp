// tenond: wires the daemon together, explicitly, in the order it must start
// and (reversed) stop: config, directories, root lock, plugins, RPC.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <chrono>
#include <optional>
#include <thread>
#include <cstdio>
#include <kj/async-unix.h>
#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

#include "daemon/directory_lock.hpp"
#include "daemon/systemd_notify.hpp"
#include "daemon/unix_listener.hpp"
#include "daemon_cli.hpp"
#include "fs/directories.hpp"
#include "containers/containers_service.hpp"
#include "content/content_service.hpp"
#include "events/event_exchange.hpp"
#include "events/events_service.hpp"
#include "gc/garbage_collector.hpp"
#include "gc/gc_service.hpp"
#include "images/image_store.hpp"
#include "images/images_service.hpp"
#include "introspection/introspection_service.hpp"
#include "leases/leases_service.hpp"
#include "metadata/metadata_store.hpp"
#include "metrics/metrics_http_server.hpp"
#include "metrics/metrics_table.hpp"
#include "metrics/oom_watching.hpp"
#include "metrics/prometheus_text.hpp"
#include "metrics/task_metrics.hpp"
#include "namespaces/namespaces_service.hpp"
#include "log/logger.hpp"
#include "plugins/plugin_set.hpp"
#include "rpc/rpc_server.hpp"
#include "snapshots/namespaced_snapshotter.hpp"
#include "snapshots/snapshots_service.hpp"
#include "tasks/exit_waiters.hpp"
#include "tasks/tasks_service.hpp"
#include "tenon_build_config.h"
#include "transfer/transfer_service.hpp"
#include "version/version_service.hpp"

namespace {

using namespace tenon;

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// How pulls and pushes reach registries: the [registry] table, and the
// connections and tokens every transfer shares.
transfer::RegistryAccess registryAccess(const config::RegistryConfig& config) {
  transfer::RegistryAccess access;
  access.session = registry::makeRegistrySession();
  access.hostsDir = config.configPath;
  access.limits.connectTimeout = std::chrono::seconds(config.connectTimeoutSeconds);
  access.limits.stallTimeout = std::chrono::seconds(config.stallTimeoutSeconds);
  access.limits.retries = static_cast<int>(config.retries);
  access.limits.maxBytesPerSecond = config.maxDownloadRate;
  access.maxConcurrentDownloads = config.maxConcurrentDownloads;
  access.maxConcurrentUploads = config.maxConcurrentUploads;
  return access;
}

// The content plugin the daemon uses: "local" when there, else the only one.
std::optional<content::ContentTable> pickContentStore(const plugins::ServiceRegistry& registry) {
  std::vector<plugins::ServiceEntry> stores = registry.list(TENON_PLUGIN_CONTENT);
  auto local = std::find_if(stores.begin(), stores.end(), [](const auto& e) { return e.name == "local"; });
  if (local == stores.end() && stores.size() != 1) return std::nullopt;
  const plugins::ServiceEntry& entry = local != stores.end() ? *local : stores.front();
  return content::ContentTable({static_cast<const tenon_content_service*>(entry.table), entry.self});
}

// Every loaded snapshotter by name, its records and plugin brought back in
// step with each other (a crash may have left strays in between).
std::map<std::string, snapshots::NamespacedSnapshotter> openSnapshotters(const plugins::ServiceRegistry& registry,
                                                                          metadata::MetadataStore& store,
                                                                          log::Logger& logger) {
  std::map<std::string, snapshots::NamespacedSnapshotter> out;
  for (const plugins::ServiceEntry& entry : registry.list(TENON_PLUGIN_SNAPSHOTTER)) {
    snapshots::SnapshotterTable table({static_cast<const tenon_snapshotter_service*>(entry.table), entry.self});
    auto& snapshotter = out.emplace(entry.name, snapshots::NamespacedSnapshotter(entry.name, table, store)).first->second;
    if (store.damage()) continue;  // never remove on the word of a damaged store
    try {
      auto done = snapshotter.recover([&logger](const std::string& what) { logger.warn(what); });
      if (done.strays + done.dangling > 0)
        logger.info("snapshots recovered", {{"snapshotter", entry.name},
                                            {"strays_removed", std::to_string(done.strays)},
                                            {"records_removed", std::to_string(done.dangling)}});
    } catch (const std::exception& e) {
      logger.warn("snapshot recovery failed", {{"snapshotter", entry.name}, {"error", e.what()}});
    }
  }
  return out;
}

// The metrics plugin's service: "cgroup" when there, else the first one; none without a metrics plugin.
std::optional<metrics::MetricsTable> pickMetrics(const plugins::ServiceRegistry& registry) {
  std::vector<plugins::ServiceEntry> services = registry.list(TENON_PLUGIN_METRICS);
  if (services.empty()) return std::nullopt;
  auto cgroup = std::find_if(services.begin(), services.end(), [](const auto& e) { return e.name == "cgroup"; });
  const plugins::ServiceEntry& entry = cgroup != services.end() ? *cgroup : services.front();
  return metrics::MetricsTable({static_cast<const tenon_metrics_service*>(entry.table), entry.self});
}

// The Prometheus endpoint when [metrics] address is set: every task of every namespace.
std::unique_ptr<metrics::MetricsHttpServer> startMetricsEndpoint(kj::AsyncIoContext& io, const config::Config& config,
                                                                 rpc::WorkerPool& pool, const tasks::Runtimes& runtimes,
                                                                 const std::optional<metrics::MetricsTable>& table,
                                                                 log::Logger& logger) {
  if (config.metrics.address.empty()) return nullptr;
  if (!table) logger.warn("no metrics plugin is loaded: the metrics page stays empty");
  auto page = [&pool, &runtimes, &table]() -> kj::Promise<std::string> {
    if (!table) return std::string();
    return pool.run([&runtimes, &table] {
      auto everyTask = [](const std::string&, const tasks::TaskState&) { return true; };
      return metrics::prometheusText(metrics::collectTasks(runtimes.byName, *table, everyTask));
    });
  };
  auto server = std::make_unique<metrics::MetricsHttpServer>(io, config.metrics.address, page);
  logger.info("serving metrics", {{"url", "http://" + config.metrics.address + "/v1/metrics"}});
  return server;
}

// The runtime plugins by name; "runc" stays the default even when another is loaded.
tasks::Runtimes loadedRuntimes(const plugins::ServiceRegistry& registry) {
  tasks::Runtimes runtimes;
  for (const plugins::ServiceEntry& entry : registry.list(TENON_PLUGIN_RUNTIME))
    runtimes.byName.emplace(entry.name,
                            tasks::RuntimeTable({static_cast<const tenon_runtime_service*>(entry.table), entry.self}));
  return runtimes;
}

// A runtime's /tasks/exit event wakes the Tasks service's waiters of that container.
void wakeExitWaiters(tasks::ExitWaiters& exits, const std::string& ns, const std::string& payload) {
  auto event = nlohmann::json::parse(payload, nullptr, false);
  if (event.is_object() && event.contains("container_id") && event["container_id"].is_string())
    exits.exited(ns, event["container_id"].get<std::string>());
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
  // Declared before the plugins, which publish into it until they are finalised.
  events::EventExchange exchange;
  tasks::ExitWaiters exits;
  metrics::OomWatching oomWatching(logger);
  plugins::PluginSet pluginSet(registry, logger, [&logger, &exchange, &exits, &oomWatching](
                                                     const std::string& ns, const std::string& topic,
                                                     const std::string& payload) {
    logger.debug("event", {{"namespace", ns}, {"topic", topic}, {"payload", payload}});
    // A task's pending /tasks/oom is published (synchronously) before its /tasks/exit enters the exchange.
    if (topic == "/tasks/exit") oomWatching.beforeExit(ns, payload);
    exchange.publishText(ns, topic, payload);  // a bad one goes back to the plugin as invalid_argument
    if (topic == "/tasks/exit") wakeExitWaiters(exits, ns, payload);
  });
  pluginSet.load({config.pluginDirs, config.pluginFiles, config.plugins, config.root, config.state});
  std::optional<metrics::MetricsTable> metricsTable = pickMetrics(registry);
  if (metricsTable) oomWatching.attach(*metricsTable);

  introspection::ServerFacts facts{static_cast<uint32_t>(::getpid()), config.root, config.state,
                                   config.rpc.address, nowNanos(), {}};

  // A damaged store is reported and served around, never a reason not to start.
  auto metadata = metadata::MetadataStore::open(config.root + "/metadata");
  if (auto damage = metadata->damage()) {
    logger.error(*damage);
    facts.warnings.push_back(*damage);
  }
  std::optional<content::ContentStore> contentStore;
  if (auto table = pickContentStore(registry)) {
    contentStore.emplace(*table, *metadata);
  } else {
    facts.warnings.push_back("no content store: load exactly one content plugin, or one with id \"local\"");
    logger.warn(facts.warnings.back());
  }

  std::map<std::string, snapshots::NamespacedSnapshotter> snapshotters = openSnapshotters(registry, *metadata, logger);

  int signal = 0;
  {
    gc::GarbageCollector collector(*metadata, contentStore ? &*contentStore : nullptr, snapshotters, logger,
                                   std::chrono::seconds(config.gcIntervalSeconds));
    auto collectSoon = [&collector] { collector.schedule(); };
    // Plugin calls may block, so they run here, off the event loop. Joined
    // before the plugins are finalised, so no call outlives its plugin.
    rpc::WorkerPool pool(std::max(4u, 2 * std::thread::hardware_concurrency()));
    images::ImageStore imageStore(*metadata, contentStore ? &*contentStore : nullptr);
    tasks::Runtimes runtimes = loadedRuntimes(registry);
    auto tasksService = kj::heap<tasks::TasksService>(runtimes, snapshotters, *metadata, pool, exits, oomWatching,
                                                      metricsTable ? &*metricsTable : nullptr, io.provider->getTimer());
    tasksService->watchRunningTasks();  // those that kept running while tenond was down
    rpc::Services services{
        kj::heap<version::VersionService>(),
        kj::heap<introspection::IntrospectionService>(pluginSet, facts),
        kj::heap<namespaces::NamespacesService>(*metadata, pool, exchange),
        kj::heap<content::ContentService>(contentStore ? &*contentStore : nullptr, pool, exchange, collectSoon),
        kj::heap<leases::LeasesService>(*metadata, pool, collectSoon),
        kj::heap<gc::GcService>(collector, pool),
        kj::heap<images::ImagesService>(imageStore, pool, exchange, collectSoon),
        // Imports, exports and unpacks run on threads of their own: they block for as long as the archive
        // streams or the layers take.
        kj::heap<transfer::TransferService>(contentStore ? &*contentStore : nullptr, *metadata, snapshotters,
                                            collectSoon, exchange, registryAccess(config.registry)),
        kj::heap<containers::ContainersService>(
            *metadata, pool, exchange,
            containers::ContainersOptions{
                .defaultRuntime = runtimes.defaultName,
                .hasTask = [&tasks = *tasksService](const std::string& ns, const std::string& id) {
                  return tasks.hasTask(ns, id);
                },
                .knownRuntime = [&runtimes](const std::string& name) { return runtimes.byName.count(name) > 0; },
                .afterDelete = collectSoon}),
        kj::mv(tasksService),
        kj::heap<events::EventsService>(exchange),
    };
    std::unique_ptr<metrics::MetricsHttpServer> metricsEndpoint =
        startMetricsEndpoint(io, config, pool, runtimes, metricsTable, logger);
    for (const auto& [name, snapshotter] : snapshotters)
      services.snapshots.emplace(name, kj::heap<snapshots::SnapshotsService>(snapshotter, pool, exchange));
    signal = rpc::serveUntilSignal(io, listener.releaseFd(), kj::heap<rpc::TenonService>(kj::mv(services)), [&] {
      logger.info("serving", {{"address", config.rpc.address}, {"version", TENON_VERSION}});
      daemon::notifyReady();
    });
  }
  daemon::notifyStopping();
  logger.info("shutting down", {{"signal", ::strsignal(signal)}});
  oomWatching.detach();  // no plugin call after its fini
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
