#include "config/config.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <tenon/error.hpp>
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tenon_build_config.h"

namespace {

using tenon::config::Config;
using tenon::config::defaultConfigText;
using tenon::config::loadConfig;
using tenon::config::parseConfig;
using tenon::config::PluginConfig;

struct Failure {
  tenon_status code = TENON_OK;
  std::string message = "<no error>";
};

// The error parseConfig throws for `text`, or TENON_OK and "<no error>" when it accepts it.
Failure failureOf(std::string_view text) {
  try {
    (void)parseConfig(text, "test.toml");
  } catch (const tenon::Error& e) {
    return {e.code(), e.what()};
  }
  return {};
}

bool startsWith(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

// A fresh directory under the system temp dir, removed with everything in it.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tenon-config-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("empty text parses to the built-in defaults") {
  const Config config = parseConfig("", "empty.toml");
  CHECK(config == Config{});
  CHECK(parseConfig("# only a comment\n\n", "comment.toml") == Config{});
  // The defaults the documentation promises.
  CHECK(config.version == 1);
  CHECK(config.root == "/var/lib/tenon");
  CHECK(config.state == "/run/tenon");
  CHECK(config.pluginDirs == std::vector<std::string>{TENON_DEFAULT_PLUGIN_DIR});
  CHECK(config.pluginFiles.empty());
  CHECK(config.rpc.address == "/run/tenon/tenon.sock");
  CHECK(config.rpc.uid == 0);
  CHECK(config.rpc.gid == 0);
  CHECK(config.rpc.mode == 0660);
  CHECK(config.logLevel == tenon::log::Level::info);
  CHECK(config.plugins.empty());
}

TEST_CASE("the default config text parses back to Config{}") {
  CHECK(parseConfig(defaultConfigText(), "default") == Config{});
}

TEST_CASE("the default config text spells out every key with a comment") {
  const std::string text = defaultConfigText();
  const toml::table doc = toml::parse(text, std::string_view("default"));
  for (std::string_view key : {"version", "root", "state", "plugin_dirs", "plugin_files", "log.level", "rpc.address",
                               "rpc.uid", "rpc.gid", "rpc.mode", "registry.config_path",
                               "registry.max_concurrent_downloads", "registry.max_concurrent_uploads",
                               "registry.connect_timeout", "registry.stall_timeout", "registry.retries",
                               "registry.max_download_rate"}) {
    CAPTURE(key);
    CHECK(doc.at_path(key).node() != nullptr);
  }
  CHECK(doc.size() == 10);  // the five top-level keys, [log], [rpc], [gc], [metrics], [registry]: nothing undocumented
  // Each key line comes right after its own comment.
  std::istringstream lines(text);
  std::string line, previous;
  int keyLines = 0;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] != '#' && line[0] != '[') {
      ++keyLines;
      CAPTURE(line);
      CHECK(startsWith(previous, "# "));
    }
    previous = line;
  }
  CHECK(keyLines == 19);
  CHECK(text.find("root = \"/var/lib/tenon\"\n") != std::string::npos);  // basic strings, like containerd
  CHECK(text.find("mode = 0o660\n") != std::string::npos);
  CHECK(text.find("# [plugins.\"snapshotter.overlayfs\"]") != std::string::npos);
  CHECK(text.find("error, warn, info, debug or trace") != std::string::npos);
}

TEST_CASE("a full custom config is read field by field") {
  const Config config = parseConfig(R"(
version = 1
root = "/srv/tenon"
state = "/run/tenon-test"
plugin_dirs = ["/opt/tenon/plugins", "/usr/lib/tenon"]
plugin_files = ["/opt/extra/runtime-kata.so"]

[log]
level = "debug"

[rpc]
address = "/run/tenon-test/api.sock"
uid = 1000
gid = 4294967295
mode = 0o600

[plugins."content.local"]
[plugins."runtime.runc"]
binary = "/usr/sbin/runc"
)",
                                    "custom.toml");
  Config expected;
  expected.root = "/srv/tenon";
  expected.state = "/run/tenon-test";
  expected.pluginDirs = {"/opt/tenon/plugins", "/usr/lib/tenon"};
  expected.pluginFiles = {"/opt/extra/runtime-kata.so"};
  expected.logLevel = tenon::log::Level::debug;
  expected.rpc = {"/run/tenon-test/api.sock", 1000, 4294967295u, 0600};
  expected.plugins["content.local"] = PluginConfig{};
  expected.plugins["runtime.runc"] = PluginConfig{true, std::nullopt, "binary = '/usr/sbin/runc'\n"};
  CHECK(config == expected);
}

TEST_CASE("a syntax error reports source, line and column") {
  const Failure f = failureOf("root = \"/a\"\n[rpc\naddress = \"/x\"\n");
  CHECK(f.code == TENON_INVALID_ARGUMENT);
  CHECK(startsWith(f.message, "test.toml:2:5: "));
  CHECK(f.message.find("expected ']'") != std::string::npos);
}

TEST_CASE("a value of the wrong type reports line, column and key") {
  const Failure f = failureOf("version = 1\nroot = 5\n");
  CHECK(f.code == TENON_INVALID_ARGUMENT);
  CHECK(f.message == "test.toml:2:8: root must be a string, not an integer");
  CHECK(failureOf("[rpc]\nuid = \"0\"").message == "test.toml:2:7: rpc.uid must be an integer, not a string");
  CHECK(failureOf("rpc = 1").message == "test.toml:1:7: rpc must be a table, not an integer");
  CHECK(failureOf("plugin_dirs = \"/x\"").message ==
        "test.toml:1:15: plugin_dirs must be an array of strings, not a string");
}

TEST_CASE("an unknown key is an error naming the key, wherever it is") {
  const Failure top = failureOf("version = 1\n  roots = \"/x\"\n");
  CHECK(top.code == TENON_INVALID_ARGUMENT);
  CHECK(startsWith(top.message, "test.toml:2:3: unknown key \"roots\""));
  CHECK(startsWith(failureOf("[rpc]\nadress = \"/x\"").message, "test.toml:2:1: unknown key \"rpc.adress\""));
  CHECK(startsWith(failureOf("[log]\nlevels = \"info\"").message, "test.toml:2:1: unknown key \"log.levels\""));
}

TEST_CASE("a version other than 1 is rejected, naming the supported one") {
  const Failure f = failureOf("version = 2");
  CHECK(f.code == TENON_INVALID_ARGUMENT);
  CHECK(f.message == "test.toml:1:11: unsupported config version 2: this tenond reads version 1");
  CHECK(failureOf("version = 1").code == TENON_OK);
}

TEST_CASE("root, state and rpc.address must be non-empty absolute paths") {
  CHECK(failureOf("root = \"var/lib/tenon\"").message ==
        "test.toml:1:8: root must be an absolute path, not \"var/lib/tenon\"");
  CHECK(failureOf("state = \"\"").message == "test.toml:1:9: state must not be empty");
  CHECK(failureOf("[rpc]\naddress = \"tenon.sock\"").message ==
        "test.toml:2:11: rpc.address must be an absolute path, not \"tenon.sock\"");
  CHECK(failureOf("root = \"/a\\u0000b\"").message == "test.toml:1:8: root must not contain a NUL byte");
}

TEST_CASE("rpc.address longer than sockaddr_un can hold is rejected") {
  const std::string fits = "/" + std::string(106, 'a');  // 107 bytes + NUL fill sun_path[108]
  CHECK(parseConfig("[rpc]\naddress = \"" + fits + "\"", "test.toml").rpc.address == fits);
  const Failure f = failureOf("[rpc]\naddress = \"" + fits + "a\"");
  CHECK(f.code == TENON_INVALID_ARGUMENT);
  CHECK(f.message == "test.toml:2:11: rpc.address is 108 bytes long; a unix socket path holds at most 107");
}

TEST_CASE("rpc.mode is read from an integer or an octal string") {
  CHECK(parseConfig("[rpc]\nmode = 0o600", "t").rpc.mode == 0600);
  CHECK(parseConfig("[rpc]\nmode = 432", "t").rpc.mode == 0660);
  CHECK(parseConfig("[rpc]\nmode = \"0640\"", "t").rpc.mode == 0640);
  CHECK(parseConfig("[rpc]\nmode = \"7777\"", "t").rpc.mode == 07777);
  CHECK(parseConfig("[rpc]\nmode = 0", "t").rpc.mode == 0);
}

TEST_CASE("an rpc.mode that is not a file mode is rejected") {
  CHECK(failureOf("[rpc]\nmode = 0o10000").message == "test.toml:2:8: rpc.mode must be within 0..0o7777");
  CHECK(failureOf("[rpc]\nmode = -1").message == "test.toml:2:8: rpc.mode must be within 0..0o7777");
  CHECK(failureOf("[rpc]\nmode = \"10000\"").message == "test.toml:2:8: rpc.mode must be within 0..0o7777");
  // 0o2000000000000000000660 = 2^64 + 0o660: accumulated blindly in 64 bits it would pass as 0o660.
  CHECK(failureOf("[rpc]\nmode = \"2000000000000000000660\"").message ==
        "test.toml:2:8: rpc.mode must be within 0..0o7777");
  CHECK(failureOf("[rpc]\nmode = \"0689\"").message ==
        "test.toml:2:8: rpc.mode \"0689\" is not an octal number like \"0660\"");
  CHECK(failureOf("[rpc]\nmode = \"\"").message == "test.toml:2:8: rpc.mode \"\" is not an octal number like \"0660\"");
  CHECK(failureOf("[rpc]\nmode = 6.6").message ==
        "test.toml:2:8: rpc.mode must be an integer or an octal string, not a float");
}

TEST_CASE("rpc.uid and rpc.gid must fit a uid_t") {
  CHECK(failureOf("[rpc]\nuid = -1").message == "test.toml:2:7: rpc.uid must be within 0..4294967295, not -1");
  CHECK(failureOf("[rpc]\ngid = 4294967296").message ==
        "test.toml:2:7: rpc.gid must be within 0..4294967295, not 4294967296");
}

TEST_CASE("a log level that parseLevel does not know is rejected") {
  const Failure f = failureOf("[log]\nlevel = \"loud\"");
  CHECK(f.code == TENON_INVALID_ARGUMENT);
  CHECK(f.message == "test.toml:2:9: log.level \"loud\" is not one of error, warn, info, debug, trace");
  CHECK(parseConfig("[log]\nlevel = \"trace\"", "t").logLevel == tenon::log::Level::trace);
}

TEST_CASE("a plugin table keeps enabled and path for the core and hands other keys to the plugin") {
  const Config config = parseConfig(R"(
[plugins."snapshotter.overlayfs"]
enabled = false
path = "/opt/tenon/overlay.so"
root_path = "/var/lib/tenon/overlay"
mount_mode = 0o755
[plugins."snapshotter.overlayfs".upper]
options = ["index=off", "metacopy=on"]
)",
                                    "test.toml");
  REQUIRE(config.plugins.count("snapshotter.overlayfs") == 1);
  const PluginConfig& plugin = config.plugins.at("snapshotter.overlayfs");
  CHECK_FALSE(plugin.enabled);
  CHECK(plugin.path == std::optional<std::string>("/opt/tenon/overlay.so"));
  INFO("plugin toml:\n", plugin.toml);
  const toml::table handed = toml::parse(plugin.toml, std::string_view("plugin"));
  CHECK(handed.size() == 3);
  CHECK(handed["root_path"].value<std::string>() == "/var/lib/tenon/overlay");
  CHECK(handed["mount_mode"].value<int64_t>() == 0755);
  CHECK(handed["upper"]["options"][1].value<std::string>() == "metacopy=on");
  CHECK_FALSE(handed.contains("enabled"));
  CHECK_FALSE(handed.contains("path"));
  CHECK(plugin.toml.find("0o755") != std::string::npos);  // written the way the user wrote it
}

TEST_CASE("a plugin table with only enabled and path hands the plugin an empty text") {
  const Config config = parseConfig("[plugins.\"metrics.cgroup\"]\nenabled = true\npath = \"/x.so\"\n", "test.toml");
  CHECK(config.plugins.at("metrics.cgroup") == PluginConfig{true, "/x.so", ""});
  CHECK(failureOf("[plugins.\"metrics.cgroup\"]\nenabled = \"no\"").message ==
        "test.toml:2:11: plugins.\"metrics.cgroup\".enabled must be a boolean, not a string");
}

TEST_CASE("a plugin table not named <type>.<id> is rejected") {
  // Unquoted, the dots make nested tables: the key becomes "snapshotter".
  const Failure unquoted = failureOf("version = 1\n[plugins.snapshotter.overlayfs]\nx = 1\n");
  CHECK(unquoted.code == TENON_INVALID_ARGUMENT);
  CHECK(startsWith(unquoted.message, "test.toml:2:10: plugin table \"snapshotter\" must be named \"<type>.<id>\""));
  for (std::string_view name : {"network.bridge", "snapshotter.", "snapshotter.Overlay", "runtime._runc", ".runc"}) {
    CAPTURE(name);
    const Failure f = failureOf("[plugins.\"" + std::string(name) + "\"]\n");
    CHECK(startsWith(f.message, "test.toml:1:10: plugin table \"" + std::string(name) + "\" must be named"));
  }
  CHECK(failureOf("[plugins.\"runtime.runc-v2.1_x\"]\n").code == TENON_OK);
  CHECK(failureOf("plugins.\"content.local\" = 5").message ==
        "test.toml:1:27: plugins.\"content.local\" must be a table, not an integer");
}

TEST_CASE("loadConfig on a missing file names the path and the reason") {
  TempDir dir;
  const std::filesystem::path missing = dir.path / "nope.toml";
  try {
    (void)loadConfig(missing);
    FAIL("loadConfig accepted a missing file");
  } catch (const tenon::Error& e) {
    CHECK(e.code() == TENON_NOT_FOUND);
    CHECK(std::string(e.what()) == "cannot read config file " + missing.string() + ": No such file or directory");
  }
}

TEST_CASE("loadConfig reads a file and prefixes its errors with the path") {
  TempDir dir;
  const std::filesystem::path file = dir.path / "config.toml";
  std::ofstream(file) << "root = \"/srv/tenon\"\n";
  CHECK(loadConfig(file).root == "/srv/tenon");
  std::ofstream(file) << "root = 5\n";
  try {
    (void)loadConfig(file);
    FAIL("loadConfig accepted root = 5");
  } catch (const tenon::Error& e) {
    CHECK(std::string(e.what()) == file.string() + ":1:8: root must be a string, not an integer");
  }
}

TEST_CASE("gc.interval sets the collection timer and refuses negatives and unknown keys") {
  CHECK(parseConfig("[gc]\ninterval = 0", "t").gcIntervalSeconds == 0);
  CHECK(parseConfig("[gc]\ninterval = 60", "t").gcIntervalSeconds == 60);
  CHECK(parseConfig("", "t").gcIntervalSeconds == 300);
  CHECK_THROWS_WITH(parseConfig("[gc]\ninterval = -1", "t"), "t:2:12: gc.interval must be 0 (off) or a number of seconds");
  CHECK_THROWS_WITH(parseConfig("[gc]\nperiod = 5", "t"), doctest::Contains("unknown key \"gc.period\""));
}

TEST_CASE("metrics.address serves loopback only") {
  CHECK(parseConfig("[metrics]\naddress = \"127.0.0.1:1338\"", "t").metrics.address == "127.0.0.1:1338");
  CHECK(parseConfig("[metrics]\naddress = \"[::1]:9\"", "t").metrics.address == "[::1]:9");
  CHECK(parseConfig("", "t").metrics.address.empty());
  CHECK_THROWS_WITH(parseConfig("[metrics]\naddress = \"0.0.0.0:1338\"", "t"),
                    "t:2:11: metrics.address \"0.0.0.0:1338\" must be a loopback HOST:PORT (127.0.0.1:1338, "
                    "[::1]:1338 or localhost:1338): the metrics page has no authentication");
  CHECK_THROWS(parseConfig("[metrics]\naddress = \"127.0.0.1\"", "t"));
  CHECK_THROWS(parseConfig("[metrics]\naddress = \"127.0.0.1:70000\"", "t"));
}

TEST_CASE("the registry table has containerd-like defaults and reads each key") {
  const tenon::config::RegistryConfig defaults = parseConfig("", "t").registry;
  CHECK(defaults.configPath == "/etc/tenon/certs.d");
  CHECK(defaults.maxConcurrentDownloads == 3);
  CHECK(defaults.maxConcurrentUploads == 3);
  CHECK(defaults.connectTimeoutSeconds == 30);
  CHECK(defaults.stallTimeoutSeconds == 30);
  CHECK(defaults.retries == 3);
  CHECK(defaults.maxDownloadRate == 0);
  const tenon::config::RegistryConfig read = parseConfig(R"([registry]
config_path = "/srv/certs.d"
max_concurrent_downloads = 8
max_concurrent_uploads = 2
connect_timeout = 5
stall_timeout = 12
retries = 0
max_download_rate = 1048576
)", "t").registry;
  CHECK(read.configPath == "/srv/certs.d");
  CHECK(read.maxConcurrentDownloads == 8);
  CHECK(read.maxConcurrentUploads == 2);
  CHECK(read.connectTimeoutSeconds == 5);
  CHECK(read.stallTimeoutSeconds == 12);
  CHECK(read.retries == 0);
  CHECK(read.maxDownloadRate == 1048576);
  CHECK(parseConfig("[registry]\nconfig_path = \"\"", "t").registry.configPath.empty());  // no hosts directory
}

TEST_CASE("the registry table refuses out-of-range values, relative paths and unknown keys, naming the key") {
  CHECK(failureOf("[registry]\nmax_concurrent_downloads = 0").message ==
        "test.toml:2:28: registry.max_concurrent_downloads must be within 1..64, not 0");
  CHECK(failureOf("[registry]\nconnect_timeout = 30000").message ==
        "test.toml:2:19: registry.connect_timeout must be within 1..3600, not 30000");
  CHECK(failureOf("[registry]\nretries = -1").message == "test.toml:2:11: registry.retries must be within 0..100, not -1");
  CHECK(failureOf("[registry]\nmax_download_rate = -5").message ==
        "test.toml:2:21: registry.max_download_rate must be within 0..9223372036854775807, not -5");
  CHECK(failureOf("[registry]\nstall_timeout = \"30s\"").message ==
        "test.toml:2:17: registry.stall_timeout must be an integer, not a string");
  CHECK(failureOf("[registry]\nconfig_path = \"certs.d\"").message ==
        "test.toml:2:15: registry.config_path must be an absolute path, not \"certs.d\"");
  Failure unknown = failureOf("[registry]\nmirrors = []");
  CHECK(unknown.code == TENON_INVALID_ARGUMENT);
  CHECK(unknown.message.find("unknown key \"registry.mirrors\"") != std::string::npos);
}
