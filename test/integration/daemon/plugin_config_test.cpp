// The [plugins."<type>.<id>"] tables and plugin_files: disabling a plugin, and
// loading one from a file outside the plugin directories.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;
using nlohmann::json;

namespace {

json listJson(const TestDaemon& daemon) {
  ProcessResult ls = runCtr(daemon.address(), {"plugins", "ls", "--format", "json"});
  REQUIRE_MESSAGE(ls.status.code == 0, ls.err);
  return json::parse(ls.out);
}

json recordNamed(const json& plugins, const std::string& type, const std::string& id) {
  for (const json& plugin : plugins)
    if (plugin.at("type") == type && plugin.at("id") == id) return plugin;
  return json();
}

// Copies test plugin tp-<name>.so to <dir>/elsewhere/<as>, as a plugin installed out of tree would be.
std::string copyTestPlugin(const TempDir& dir, const std::string& name, const std::string& as) {
  std::filesystem::create_directories(dir.path() / "elsewhere");
  std::string copy = dir / ("elsewhere/" + as);
  std::filesystem::copy_file(std::string(kTestPluginDir) + "/tp-" + name + ".so", copy);
  return copy;
}

}  // namespace

TEST_CASE("enabled = false shows the plugin as disabled and fails the plugins that require it") {
  DaemonOptions options = testDaemonOptions();
  options.extraToml = "[plugins.\"metrics.good\"]\nenabled = false\n";
  TestDaemon daemon(options);
  daemon.start();
  json plugins = listJson(daemon);

  json good = recordNamed(plugins, "metrics", "good");
  REQUIRE(good.is_object());
  CHECK(good.at("state") == "disabled");
  CHECK(good.at("services").empty());

  json usesGood = recordNamed(plugins, "metrics", "uses-good");
  REQUIRE(usesGood.is_object());
  CHECK(usesGood.at("state") == "failed");
  CHECK(contains(usesGood.at("error").get<std::string>(), "metrics.good"));

  json goodToo = recordNamed(plugins, "metrics", "good-too");
  REQUIRE(goodToo.is_object());
  CHECK(goodToo.at("state") == "loaded");
  CHECK_FALSE(contains(daemon.log(), "test plugin good ready"));
}

TEST_CASE("a plugin named by path in its [plugins] table loads from outside the plugin directories") {
  TempDir elsewhere("tenon-plugin-copy");
  std::string copy = copyTestPlugin(elsewhere, "good", "my-metrics.so");
  DaemonOptions options = testDaemonOptions();
  options.pluginDirs = {};
  options.extraToml = "[plugins.\"metrics.good\"]\npath = \"" + copy + "\"\n";
  TestDaemon daemon(options);
  daemon.start();
  json plugins = listJson(daemon);

  REQUIRE(plugins.size() == 1);
  CHECK(plugins[0].at("type") == "metrics");
  CHECK(plugins[0].at("id") == "good");
  CHECK(plugins[0].at("state") == "loaded");
  CHECK(plugins[0].at("path") == copy);
  CHECK(plugins[0].at("services") == json::array({"metrics/good"}));
  CHECK(contains(daemon.log(), "test plugin good ready"));
}

TEST_CASE("a plugin listed in plugin_files loads") {
  TempDir elsewhere("tenon-plugin-copy");
  std::string copy = copyTestPlugin(elsewhere, "good-too", "listed.so");
  DaemonOptions options = testDaemonOptions();
  options.pluginDirs = {};
  options.pluginFiles = {copy};
  TestDaemon daemon(options);
  daemon.start();
  json plugins = listJson(daemon);

  REQUIRE(plugins.size() == 1);
  CHECK(plugins[0].at("id") == "good-too");
  CHECK(plugins[0].at("state") == "loaded");
  CHECK(plugins[0].at("path") == copy);
}

TEST_CASE("the same plugin from a second file is failed as a duplicate naming the first, which loads") {
  TempDir elsewhere("tenon-plugin-copy");
  std::string copy = copyTestPlugin(elsewhere, "good", "second-good.so");
  DaemonOptions options = testDaemonOptions();
  options.pluginFiles = {copy};  // after the plugin directories
  TestDaemon daemon(options);
  daemon.start();
  json plugins = listJson(daemon);

  std::string original = std::string(kTestPluginDir) + "/tp-good.so";
  int loaded = 0, duplicates = 0;
  for (const json& plugin : plugins) {
    if (plugin.at("id") != "good") continue;
    if (plugin.at("path") == original && plugin.at("state") == "loaded") ++loaded;
    if (plugin.at("path") == copy && plugin.at("state") == "failed") {
      ++duplicates;
      CHECK(contains(plugin.at("error").get<std::string>(), "duplicate"));
      CHECK(contains(plugin.at("error").get<std::string>(), original));
    }
  }
  CHECK(loaded == 1);
  CHECK(duplicates == 1);
}
