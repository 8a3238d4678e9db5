#include "config/config.hpp"

#include <fmt/format.h>
#include <sys/un.h>

#include <tenon/error.hpp>
#include <arpa/inet.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <limits>
#include <memory>
#include <sstream>
#include <system_error>

namespace tenon::config {

namespace {

// sun_path holds the path and its terminating NUL.
constexpr size_t kMaxSocketPath = sizeof(sockaddr_un::sun_path) - 1;

// "HOST:PORT" with a loopback HOST (127.0.0.0/8, [::1], localhost) and a port in 1..65535.
bool isLoopbackAddress(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = address.substr(0, colon), port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  if (int n = std::stoi(port); n < 1 || n > 65535) return false;
  if (host == "localhost" || host == "[::1]") return true;
  in_addr ip{};
  return ::inet_pton(AF_INET, host.c_str(), &ip) == 1 && (ntohl(ip.s_addr) >> 24) == 127;
}
constexpr int64_t kMaxMode = 07777;
constexpr int64_t kMaxId = std::numeric_limits<uint32_t>::max();
constexpr std::array<std::string_view, 4> kPluginTypes = {"runtime", "snapshotter", "content", "metrics"};

std::string_view typeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

// "<type>.<id>": the same name the plugin's descriptor declares.
bool isPluginName(std::string_view name) {
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view type = name.substr(0, dot), id = name.substr(dot + 1);
  if (std::find(kPluginTypes.begin(), kPluginTypes.end(), type) == kPluginTypes.end()) return false;
  auto lowerOrDigit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (id.empty() || !lowerOrDigit(id.front())) return false;
  for (char c : id)
    if (!lowerOrDigit(c) && c != '_' && c != '.' && c != '-') return false;
  return true;
}

// Turns a parsed document into a Config. Every error names the source and the
// line and column of the offending key or value.
class ConfigReader {
 public:
  explicit ConfigReader(std::string_view source) : source_(source) {}

  [[noreturn]] void fail(const toml::source_region& where, std::string_view what) const {
    const toml::source_position& at = where.begin;
    if (!at) throw Error(TENON_INVALID_ARGUMENT, fmt::format("{}: {}", source_, what));
    throw Error(TENON_INVALID_ARGUMENT, fmt::format("{}:{}:{}: {}", source_, at.line, at.column, what));
  }

  // Takes the document by reference because plugin tables are trimmed in
  // place: copying a toml::table loses the integers' written format (0o755).
  Config read(toml::table& doc) const {
    Config cfg;
    for (auto&& [key, node] : doc) {
      const std::string_view name = key.str();
      if (name == "version") cfg.version = version(node);
      else if (name == "root") cfg.root = absolutePath(node, "root");
      else if (name == "state") cfg.state = absolutePath(node, "state");
      else if (name == "plugin_dirs") cfg.pluginDirs = paths(node, "plugin_dirs");
      else if (name == "plugin_files") cfg.pluginFiles = paths(node, "plugin_files");
      else if (name == "log") readLog(table(node, "log"), cfg);
      else if (name == "rpc") readRpc(table(node, "rpc"), cfg.rpc);
      else if (name == "gc") readGc(table(node, "gc"), cfg);
      else if (name == "metrics") readMetrics(table(node, "metrics"), cfg.metrics);
      else if (name == "registry") readRegistry(table(node, "registry"), cfg.registry);
      else if (name == "plugins") readPlugins(table(node, "plugins"), cfg);
      else unknownKey(key, name,
                      "version, root, state, plugin_dirs, plugin_files, log, rpc, gc, metrics, registry, plugins");
    }
    return cfg;
  }

 private:
  [[noreturn]] void unknownKey(const toml::key& key, std::string_view name, std::string_view known) const {
    fail(key.source(), fmt::format("unknown key \"{}\" (known keys: {})", name, known));
  }
  [[noreturn]] void wrongType(const toml::node& node, std::string_view name, std::string_view expected) const {
    fail(node.source(), fmt::format("{} must be {}, not {}", name, expected, typeName(node.type())));
  }

  const std::string& string(const toml::node& node, std::string_view name) const {
    if (const auto* v = node.as_string()) return v->get();
    wrongType(node, name, "a string");
  }
  int64_t integer(const toml::node& node, std::string_view name) const {
    if (const auto* v = node.as_integer()) return v->get();
    wrongType(node, name, "an integer");
  }
  bool boolean(const toml::node& node, std::string_view name) const {
    if (const auto* v = node.as_boolean()) return v->get();
    wrongType(node, name, "a boolean");
  }
  toml::table& table(toml::node& node, std::string_view name) const {
    if (auto* v = node.as_table()) return *v;
    wrongType(node, name, "a table");
  }

  int64_t version(const toml::node& node) const {
    const int64_t v = integer(node, "version");
    if (v != 1) fail(node.source(), fmt::format("unsupported config version {}: this tenond reads version 1", v));
    return v;
  }

  // A file or directory name; the kernel would silently cut it at a NUL.
  std::string path(const toml::node& node, std::string_view name) const {
    const std::string& p = string(node, name);
    if (p.empty()) fail(node.source(), fmt::format("{} must not be empty", name));
    if (p.find('\0') != std::string::npos) fail(node.source(), fmt::format("{} must not contain a NUL byte", name));
    return p;
  }
  std::string absolutePath(const toml::node& node, std::string_view name) const {
    std::string p = path(node, name);
    if (p.front() != '/') fail(node.source(), fmt::format("{} must be an absolute path, not \"{}\"", name, p));
    return p;
  }
  std::vector<std::string> paths(const toml::node& node, std::string_view name) const {
    const toml::array* array = node.as_array();
    if (!array) wrongType(node, name, "an array of strings");
    std::vector<std::string> out;
    for (size_t i = 0; i < array->size(); ++i) out.push_back(path((*array)[i], fmt::format("{}[{}]", name, i)));
    return out;
  }

  uint32_t id(const toml::node& node, std::string_view name) const {
    const int64_t v = integer(node, name);
    if (v < 0 || v > kMaxId) fail(node.source(), fmt::format("{} must be within 0..{}, not {}", name, kMaxId, v));
    return static_cast<uint32_t>(v);
  }

  // An integer (0o660, 432) or an octal string ("0660"), as chmod(1) takes it.
  uint32_t mode(const toml::node& node) const {
    int64_t value = 0;
    if (const auto* text = node.as_string()) {
      const std::string& s = text->get();
      if (s.empty() || s.find_first_not_of("01234567") != std::string::npos)
        fail(node.source(), fmt::format("rpc.mode \"{}\" is not an octal number like \"0660\"", s));
      for (char c : s) {
        value = value * 8 + (c - '0');
        if (value > kMaxMode) break;  // also keeps a long string from overflowing
      }
    } else if (const auto* number = node.as_integer()) {
      value = number->get();
    } else {
      wrongType(node, "rpc.mode", "an integer or an octal string");
    }
    if (value < 0 || value > kMaxMode) fail(node.source(), "rpc.mode must be within 0..0o7777");
    return static_cast<uint32_t>(value);
  }

  void readLog(toml::table& tbl, Config& cfg) const {
    for (auto&& [key, node] : tbl) {
      if (key.str() != "level") unknownKey(key, fmt::format("log.{}", key.str()), "level");
      const std::string& name = string(node, "log.level");
      const std::optional<log::Level> level = log::parseLevel(name);
      if (!level)
        fail(node.source(), fmt::format("log.level \"{}\" is not one of error, warn, info, debug, trace", name));
      cfg.logLevel = *level;
    }
  }

  void readGc(toml::table& tbl, Config& cfg) const {
    for (auto&& [key, node] : tbl) {
      if (key.str() != "interval") unknownKey(key, fmt::format("gc.{}", key.str()), "interval");
      cfg.gcIntervalSeconds = integer(node, "gc.interval");
      if (cfg.gcIntervalSeconds < 0) fail(node.source(), "gc.interval must be 0 (off) or a number of seconds");
    }
  }

  void readMetrics(toml::table& tbl, MetricsConfig& metrics) const {
    for (auto&& [key, node] : tbl) {
      if (key.str() != "address") unknownKey(key, fmt::format("metrics.{}", key.str()), "address");
      metrics.address = string(node, "metrics.address");
      if (!metrics.address.empty() && !isLoopbackAddress(metrics.address))
        fail(node.source(), fmt::format("metrics.address \"{}\" must be a loopback HOST:PORT (127.0.0.1:1338, "
                                        "[::1]:1338 or localhost:1338): the metrics page has no authentication",
                                        metrics.address));
    }
  }

  // An integer within min..max (a count, seconds, bytes per second).
  int64_t bounded(const toml::node& node, std::string_view name, int64_t min, int64_t max) const {
    const int64_t v = integer(node, name);
    if (v < min || v > max) fail(node.source(), fmt::format("{} must be within {}..{}, not {}", name, min, max, v));
    return v;
  }

  void readRegistry(toml::table& tbl, RegistryConfig& registry) const {
    // Bounds that catch typos (a timeout in milliseconds, a rate in megabytes) rather than taste.
    constexpr int64_t kMaxConcurrent = 64, kMaxSeconds = 3600, kMaxRetries = 100;
    for (auto&& [key, node] : tbl) {
      const std::string_view name = key.str();
      const std::string full = fmt::format("registry.{}", name);
      if (name == "config_path") {
        const std::string& dir = string(node, full);
        if (!dir.empty()) registry.configPath = absolutePath(node, full);
        else registry.configPath.clear();
      } else if (name == "max_concurrent_downloads") {
        registry.maxConcurrentDownloads = static_cast<uint32_t>(bounded(node, full, 1, kMaxConcurrent));
      } else if (name == "max_concurrent_uploads") {
        registry.maxConcurrentUploads = static_cast<uint32_t>(bounded(node, full, 1, kMaxConcurrent));
      } else if (name == "connect_timeout") {
        registry.connectTimeoutSeconds = bounded(node, full, 1, kMaxSeconds);
      } else if (name == "stall_timeout") {
        registry.stallTimeoutSeconds = bounded(node, full, 1, kMaxSeconds);
      } else if (name == "retries") {
        registry.retries = static_cast<uint32_t>(bounded(node, full, 0, kMaxRetries));
      } else if (name == "max_download_rate") {
        registry.maxDownloadRate = bounded(node, full, 0, std::numeric_limits<int64_t>::max());
      } else {
        unknownKey(key, full,
                   "config_path, max_concurrent_downloads, max_concurrent_uploads, connect_timeout, stall_timeout, "
                   "retries, max_download_rate");
      }
    }
  }

  void readRpc(toml::table& tbl, RpcConfig& rpc) const {
    for (auto&& [key, node] : tbl) {
      const std::string_view name = key.str();
      if (name == "address") {
        rpc.address = absolutePath(node, "rpc.address");
        if (rpc.address.size() > kMaxSocketPath)
          fail(node.source(), fmt::format("rpc.address is {} bytes long; a unix socket path holds at most {}",
                                          rpc.address.size(), kMaxSocketPath));
      } else if (name == "uid") {
        rpc.uid = id(node, "rpc.uid");
      } else if (name == "gid") {
        rpc.gid = id(node, "rpc.gid");
      } else if (name == "mode") {
        rpc.mode = mode(node);
      } else {
        unknownKey(key, fmt::format("rpc.{}", name), "address, uid, gid, mode");
      }
    }
  }

  void readPlugins(toml::table& tbl, Config& cfg) const {
    for (auto&& [key, node] : tbl) {
      const std::string_view name = key.str();
      if (!isPluginName(name))
        fail(key.source(),
             fmt::format("plugin table \"{}\" must be named \"<type>.<id>\", type one of runtime, snapshotter, "
                         "content, metrics and id matching [a-z0-9][a-z0-9_.-]*, in quotes: "
                         "[plugins.\"snapshotter.overlayfs\"]",
                         name));
      const std::string prefix = fmt::format("plugins.\"{}\"", name);
      cfg.plugins.emplace(std::string(name), readPlugin(table(node, prefix), prefix));
    }
  }

  // Keeps `enabled` and `path` for the core and hands every other key, untouched,
  // to the plugin as TOML text.
  PluginConfig readPlugin(toml::table& tbl, std::string_view prefix) const {
    PluginConfig plugin;
    if (toml::node* enabled = tbl.get("enabled")) plugin.enabled = boolean(*enabled, fmt::format("{}.enabled", prefix));
    if (toml::node* file = tbl.get("path")) plugin.path = path(*file, fmt::format("{}.path", prefix));
    tbl.erase("enabled");
    tbl.erase("path");
    if (!tbl.empty()) {
      std::ostringstream out;
      out << toml::toml_formatter{tbl} << '\n';
      plugin.toml = std::move(out).str();
    }
    return plugin;
  }

  std::string_view source_;
};

tenon_status statusOf(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR: return TENON_NOT_FOUND;
    case EACCES:
    case EPERM: return TENON_PERMISSION_DENIED;
    case EISDIR: return TENON_INVALID_ARGUMENT;
    default: return TENON_INTERNAL;
  }
}

std::string readFile(const std::filesystem::path& file) {
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  auto cannotRead = [&](int error) {
    return Error(statusOf(error), fmt::format("cannot read config file {}: {}", file.string(),
                                              std::error_code(error, std::generic_category()).message()));
  };
  std::unique_ptr<std::FILE, Closer> in(std::fopen(file.c_str(), "re"));
  if (!in) throw cannotRead(errno);
  std::string text;
  std::array<char, 8192> buffer;
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), in.get())) text.append(buffer.data(), n);
  if (std::ferror(in.get())) throw cannotRead(errno);
  return text;
}

}  // namespace

Config parseConfig(std::string_view text, std::string_view sourceName) {
  const ConfigReader reader(sourceName);
  toml::table doc;
  try {
    doc = toml::parse(text, sourceName);
  } catch (const toml::parse_error& e) {
    reader.fail(e.source(), e.description());
  }
  return reader.read(doc);
}

Config loadConfig(const std::filesystem::path& file) { return parseConfig(readFile(file), file.string()); }

}  // namespace tenon::config
