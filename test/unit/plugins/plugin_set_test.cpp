#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "plugins/plugin_set.hpp"

using namespace tenon;
using namespace tenon::plugins;
namespace stdfs = std::filesystem;

namespace {

// A temporary root/state pair and a log captured in memory.
struct Fixture {
  stdfs::path dir;
  char* logText = nullptr;
  size_t logSize = 0;
  std::FILE* logFile = open_memstream(&logText, &logSize);
  log::Logger logger{log::Level::debug, logFile};
  ServiceRegistry registry;
  std::vector<std::string> events;

  Fixture() {
    char tmpl[] = "/tmp/tenon-plugin-set-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~Fixture() {
    std::fclose(logFile);
    std::free(logText);
    stdfs::remove_all(dir);
  }
  PluginSources sources(std::vector<std::string> dirs = {TEST_PLUGIN_DIR}) {
    return {std::move(dirs), {}, {}, (dir / "root").string(), (dir / "state").string()};
  }
  std::string logs() {
    std::fflush(logFile);
    return std::string(logText, logSize);
  }
};

const PluginRecord& find(const PluginSet& set, const std::string& name) {
  for (const PluginRecord& r : set.plugins())
    if (r.name() == name) return r;
  FAIL("no plugin " << name);
  throw;
}

}  // namespace

TEST_CASE("every loader failure is reported per plugin while the good ones load") {
  Fixture f;
  PluginSet set(f.registry, f.logger, {});
  set.load(f.sources());

  CHECK(find(set, "metrics.good").state == PluginState::loaded);
  CHECK(find(set, "metrics.good").services == std::vector<std::string>{"metrics/good"});
  CHECK(find(set, "metrics.good").version == "1.0-test");
  CHECK(find(set, "metrics.uses-good").state == PluginState::loaded);  // its init checks lookups
  CHECK(find(set, "metrics.fail-init").error == "init failed: kaboom: metrics.fail-init always fails");
  CHECK(find(set, "metrics.needs-failing").error == "requires metrics.fail-init, which failed");
  CHECK(find(set, "metrics.needs-missing").error == "requires snapshotter.nonexistent, which is not available");
  CHECK(find(set, "metrics.cycle-a").error == "requirement cycle: metrics.cycle-a -> metrics.cycle-b -> metrics.cycle-a");

  auto byFile = [&](const std::string& file) -> const PluginRecord& {
    for (const PluginRecord& r : set.plugins())
      if (stdfs::path(r.path).filename() == file) return r;
    FAIL("no record for " << file);
    throw;
  };
  CHECK(byFile("tp-bad-abi.so").error == "built for plugin ABI version 99, this tenond supports version 1");
  CHECK(byFile("tp-small-descriptor.so").error.starts_with("descriptor is 16 bytes"));
  CHECK(byFile("tp-no-entry.so").error == "not a tenon plugin: no symbol tenon_plugin_entry");
  CHECK(byFile("tp-undefined-symbol.so").error.find("tenon_test_symbol_that_does_not_exist") != std::string::npos);
  CHECK(byFile("tp-no-entry.so").type == "unknown");

  CHECK(f.registry.find(TENON_PLUGIN_METRICS, "good") != nullptr);
  CHECK(f.registry.find(TENON_PLUGIN_METRICS, "fail-init") == nullptr);
  CHECK(stdfs::is_directory(f.dir / "root" / "metrics.good"));
  CHECK((stdfs::status(f.dir / "root" / "metrics.good").permissions() & stdfs::perms::all) == stdfs::perms::owner_all);
}

TEST_CASE("a registered service is callable through its C table") {
  Fixture f;
  PluginSet set(f.registry, f.logger, {});
  set.load(f.sources());
  auto metrics = f.registry.get<tenon_metrics_service>("good");
  double last = 0;
  tenon_error err;
  tenon_error_init(&err);
  auto sink = [](void* ctx, const tenon_metric_sample* s) -> tenon_status {
    *static_cast<double*>(ctx) = s->value;
    return TENON_OK;
  };
  CHECK(metrics.table->collect(metrics.self, nullptr, sink, &last, &err) == TENON_OK);
  CHECK(metrics.table->collect(metrics.self, nullptr, sink, &last, &err) == TENON_OK);
  CHECK(last == 2);
}

TEST_CASE("plugins are finalised in reverse init order and their services dropped") {
  Fixture f;
  {
    PluginSet set(f.registry, f.logger, {});
    set.load(f.sources());
    set.shutdown();
    CHECK(f.registry.find(TENON_PLUGIN_METRICS, "good") == nullptr);
  }
  std::string logs = f.logs();
  size_t usesGood = logs.find("test plugin uses-good stopping");
  size_t good = logs.find("test plugin good stopping");
  REQUIRE(usesGood != std::string::npos);
  REQUIRE(good != std::string::npos);
  CHECK(usesGood < good);
}

TEST_CASE("config disables a plugin, hands it its table, and a broken file is only that file's failure") {
  Fixture f;
  stdfs::create_directories(f.dir / "extra");
  std::ofstream(f.dir / "extra" / "garbage.so") << "this is not an ELF file";
  stdfs::copy_file(stdfs::path(TEST_PLUGIN_DIR) / "tp-good.so", f.dir / "extra" / "copy-of-good.so");

  PluginSources sources = f.sources({TEST_PLUGIN_DIR, (f.dir / "extra").string()});
  sources.configs["metrics.fail-init"].enabled = false;
  sources.configs["metrics.needs-failing"].toml = "answer = 42\n";
  sources.configs["snapshotter.not-installed"].enabled = false;
  PluginSet set(f.registry, f.logger, {});
  set.load(sources);

  CHECK(find(set, "metrics.fail-init").state == PluginState::disabled);
  // Its requirement is disabled, so it cannot load either.
  CHECK(find(set, "metrics.needs-failing").error == "requires metrics.fail-init, which is disabled");
  CHECK(find(set, "snapshotter.not-installed").state == PluginState::disabled);
  bool sawGarbage = false, sawDuplicate = false;
  for (const PluginRecord& r : set.plugins()) {
    if (r.path.ends_with("garbage.so")) sawGarbage = r.error.starts_with("cannot load: ");
    if (r.path.ends_with("copy-of-good.so"))
      sawDuplicate = r.error.starts_with("duplicate plugin metrics.good, also provided by ");
  }
  CHECK(sawGarbage);
  CHECK(sawDuplicate);
  CHECK(find(set, "metrics.good").state == PluginState::loaded);
}

TEST_CASE("a config table whose path holds another plugin fails that file, naming both") {
  Fixture f;
  PluginSources sources = f.sources({});
  sources.configs["metrics.good"].path = std::string(TEST_PLUGIN_DIR) + "/tp-good-too.so";
  PluginSet set(f.registry, f.logger, {});
  set.load(sources);
  REQUIRE(set.plugins().size() >= 1);
  CHECK(set.plugins()[0].state == PluginState::failed);
  CHECK(set.plugins()[0].error == "[plugins.\"metrics.good\"] names this file, but it holds plugin metrics.good-too");
  CHECK(f.registry.find(TENON_PLUGIN_METRICS, "good-too") == nullptr);
}

TEST_CASE("a plugin whose init fails leaves no directories behind") {
  Fixture f;
  PluginSources sources = f.sources({});
  sources.files = {std::string(TEST_PLUGIN_DIR) + "/tp-fail-init.so", std::string(TEST_PLUGIN_DIR) + "/tp-good.so"};
  PluginSet set(f.registry, f.logger, {});
  set.load(sources);
  CHECK(find(set, "metrics.fail-init").state == PluginState::failed);
  CHECK_FALSE(stdfs::exists(f.dir / "root" / "metrics.fail-init"));
  CHECK_FALSE(stdfs::exists(f.dir / "state" / "metrics.fail-init"));
  CHECK(stdfs::exists(f.dir / "root" / "metrics.good"));
}
