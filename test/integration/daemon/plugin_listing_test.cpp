// `ctr plugins ls` against a daemon that loads every C test plugin: each loader
// outcome shows with its state and error, in every output format.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;
using nlohmann::json;

namespace {

// What one test plugin (tp-<name>.so) must look like in the listing.
struct Expected {
  std::string type, state;
  std::vector<std::string> errorParts;  // all must appear in its error; none means no error
};

const std::map<std::string, Expected> kExpected = {
    {"good", {"metrics", "loaded", {}}},
    {"good-too", {"metrics", "loaded", {}}},
    {"uses-good", {"metrics", "loaded", {}}},
    {"fail-init", {"metrics", "failed", {"kaboom: metrics.fail-init always fails"}}},
    {"needs-failing", {"metrics", "failed", {"metrics.fail-init"}}},
    {"needs-missing", {"metrics", "failed", {"snapshotter.nonexistent"}}},
    {"cycle-a", {"metrics", "failed", {"cycle", "metrics.cycle-b"}}},
    {"cycle-b", {"metrics", "failed", {"cycle", "metrics.cycle-a"}}},
    {"bad-abi", {"unknown", "failed", {"99"}}},
    {"small-descriptor", {"unknown", "failed", {"16 bytes"}}},
    {"no-entry", {"unknown", "failed", {"tenon_plugin_entry"}}},
    {"undefined-symbol", {"unknown", "failed", {"tenon_test_symbol_that_does_not_exist"}}},
};

size_t pluginFilesInTestDir() {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kTestPluginDir))
    if (entry.path().extension() == ".so") ++count;
  return count;
}

json listJson(const TestDaemon& daemon) {
  ProcessResult ls = runCtr(daemon.address(), {"plugins", "ls", "--format", "json"});
  REQUIRE_MESSAGE(ls.status.code == 0, ls.err);
  CHECK(ls.err.empty());
  json plugins = json::parse(ls.out);
  REQUIRE(plugins.is_array());
  return plugins;
}

// The record of tp-<name>.so, found by its path: a plugin that failed to open has no id of its own.
json recordOf(const json& plugins, const std::string& name) {
  for (const json& plugin : plugins)
    if (std::filesystem::path(plugin.at("path").get<std::string>()).filename() == "tp-" + name + ".so")
      return plugin;
  return json();
}

}  // namespace

TEST_CASE("plugins ls --format json shows every test plugin with its state and error, and the daemon still serves") {
  TestDaemon daemon(testDaemonOptions());
  daemon.start();
  json plugins = listJson(daemon);

  CHECK(plugins.size() == pluginFilesInTestDir());
  for (const auto& [name, expected] : kExpected) {
    CAPTURE(name);
    json plugin = recordOf(plugins, name);
    REQUIRE(plugin.is_object());
    CHECK(plugin.at("type") == expected.type);
    CHECK(plugin.at("state") == expected.state);
    std::string error = plugin.at("error");
    CAPTURE(error);
    if (expected.errorParts.empty()) {
      CHECK(error.empty());
      CHECK(plugin.at("id") == name);
      CHECK(plugin.at("version") == "1.0-test");
      CHECK(plugin.at("services") == json::array({"metrics/" + name}));
    } else {
      for (const std::string& part : expected.errorParts) CHECK(contains(error, part));
      CHECK(plugin.at("services").empty());
    }
  }

  CHECK(daemon.running());
  ProcessResult version = runCtr(daemon.address(), {"version"});
  CHECK_MESSAGE(version.status.code == 0, version.err);
}

TEST_CASE("plugins ls prints a table with a header and one row per plugin") {
  TestDaemon daemon(testDaemonOptions());
  daemon.start();
  json plugins = listJson(daemon);
  ProcessResult ls = runCtr(daemon.address(), {"plugins", "ls"});
  REQUIRE_MESSAGE(ls.status.code == 0, ls.err);

  std::vector<std::string> rows = lines(ls.out);
  REQUIRE(!rows.empty());
  CHECK(words(rows[0]) == std::vector<std::string>{"TYPE", "ID", "STATE", "ERROR"});
  rows.erase(rows.begin());
  REQUIRE(rows.size() == plugins.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    // Errors hold spaces, so compare the first three columns and then the rest whole.
    std::vector<std::string> cells = words(rows[i]);
    REQUIRE(cells.size() >= 3);
    CHECK(cells[0] == plugins[i].at("type"));
    CHECK(cells[1] == plugins[i].at("id"));
    CHECK(cells[2] == plugins[i].at("state"));
    std::string error = plugins[i].at("error");
    if (!error.empty()) CHECK(rows[i].ends_with(" " + error));
  }
}

TEST_CASE("plugins ls --quiet prints type.id, one per plugin") {
  TestDaemon daemon(testDaemonOptions());
  daemon.start();
  json plugins = listJson(daemon);
  ProcessResult ls = runCtr(daemon.address(), {"plugins", "ls", "--quiet"});
  REQUIRE_MESSAGE(ls.status.code == 0, ls.err);

  std::vector<std::string> expected;
  for (const json& plugin : plugins)
    expected.push_back(plugin.at("type").get<std::string>() + "." + plugin.at("id").get<std::string>());
  CHECK(lines(ls.out) == expected);
  CHECK(std::count(expected.begin(), expected.end(), "metrics.good") == 1);
}
