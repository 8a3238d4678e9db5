// The daemon's TOML configuration (like containerd's config.toml): where tenond
// keeps its data, the RPC socket, the log level, which plugins to load and each
// plugin's own settings. Parsing is strict: a typo in a key is an error with
// its line and column, never a silently ignored setting.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "log/logger.hpp"
#include "tenon_build_config.h"

namespace tenon::config {

// One [plugins."<type>.<id>"] table.
struct PluginConfig {
  bool enabled = true;
  std::optional<std::string> path;  // `path = "/x/y.so"`: load the plugin from this file (core-consumed key)
  std::string toml;                 // the rest of the table, re-serialised as TOML text (what the plugin gets); "" when empty

  friend bool operator==(const PluginConfig&, const PluginConfig&) = default;
};

// The [rpc] table: the unix socket clients connect to.
struct RpcConfig {
  std::string address = "/run/tenon/tenon.sock";
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t mode = 0660;  // socket file mode

  friend bool operator==(const RpcConfig&, const RpcConfig&) = default;
};

// The [metrics] table: the Prometheus page (/v1/metrics) over HTTP, off when
// address is "". Loopback only ("127.0.0.1:1338", "[::1]:1338", "localhost:1338"):
// the page names every container of every namespace and has no authentication.
struct MetricsConfig {
  std::string address;

  friend bool operator==(const MetricsConfig&, const MetricsConfig&) = default;
};

// The [registry] table: how pulls and pushes reach registries.
struct RegistryConfig {
  std::string configPath = "/etc/tenon/certs.d";  // hosts directory (hosts.toml, certs.d); "" for none
  uint32_t maxConcurrentDownloads = 3;            // blobs fetched at once per pull
  uint32_t maxConcurrentUploads = 3;              // blobs sent at once per push
  int64_t connectTimeoutSeconds = 30;
  int64_t stallTimeoutSeconds = 30;  // a transfer with no byte for this long is retried
  uint32_t retries = 3;              // per host, after the first attempt
  int64_t maxDownloadRate = 0;       // bytes per second per transfer; 0 for no limit

  friend bool operator==(const RegistryConfig&, const RegistryConfig&) = default;
};

struct Config {
  int64_t version = 1;
  std::string root = "/var/lib/tenon";
  std::string state = "/run/tenon";
  std::vector<std::string> pluginDirs = {TENON_DEFAULT_PLUGIN_DIR};  // every *.so in these is loaded
  std::vector<std::string> pluginFiles;                              // extra .so files loaded by path
  RpcConfig rpc;
  MetricsConfig metrics;
  RegistryConfig registry;
  log::Level logLevel = log::Level::info;
  // Seconds between garbage collection runs on the timer; 0 turns the timer
  // off (GC still runs after deletions and on demand).
  int64_t gcIntervalSeconds = 300;
  std::map<std::string, PluginConfig> plugins;  // key "<type>.<id>", e.g. "snapshotter.overlayfs"

  friend bool operator==(const Config&, const Config&) = default;
};

// Parses config text. `sourceName` (a file path) prefixes every error.
// Throws tenon::Error (TENON_INVALID_ARGUMENT) with a message
// "SOURCE:LINE:COLUMN: what is wrong" for syntax errors and for semantic errors
// (wrong type, unknown key, bad value). Empty text gives Config{}.
Config parseConfig(std::string_view text, std::string_view sourceName);

// Reads and parses `file`. A missing or unreadable file is a tenon::Error
// naming the path and the system's reason (TENON_NOT_FOUND when it is missing).
Config loadConfig(const std::filesystem::path& file);

// The full default config, every key commented, like `containerd config default`.
// parseConfig(defaultConfigText(), "default") == Config{}.
std::string defaultConfigText();

}  // namespace tenon::config
