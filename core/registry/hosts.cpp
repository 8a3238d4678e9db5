// containerd's registry host configuration (docs/hosts.md and
// core/remotes/docker/config/hosts.go): a hosts.toml lists mirrors, tried in
// file order, then the upstream; the file's top-level settings (ca, header,
// capabilities...) belong to the upstream. Without a hosts.toml, Docker's
// certs.d files in the host's directory configure the upstream's TLS.
#include "registry/hosts.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <tenon/error.hpp>

#include "registry/reference.hpp"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <optional>
#include <sstream>
#include <system_error>
#include <tuple>

namespace tenon::registry {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDockerHub = "docker.io";
constexpr std::string_view kDockerHubUpstream = "registry-1.docker.io";
constexpr std::string_view kDefaultDir = "_default";
constexpr std::string_view kHostSettings = "capabilities, ca, client, skip_verify, header, override_path, dial_timeout";

// A Go duration ("5s", "500ms", "1m30s", "1.5h"), as containerd reads dial_timeout.
std::optional<std::chrono::milliseconds> parseGoDuration(std::string_view text) {
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"ns", 1e-6}, {"us", 1e-3}, {"\u00b5s", 1e-3}, {"ms", 1}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}};
  if (text.empty()) return std::nullopt;
  double total = 0;
  while (!text.empty()) {
    std::size_t digits = text.find_first_not_of("0123456789.");
    if (digits == 0 || digits == std::string_view::npos) return std::nullopt;
    double number = 0;
    auto [end, err] = std::from_chars(text.data(), text.data() + digits, number);  // not locale-dependent
    if (err != std::errc() || end != text.data() + digits) return std::nullopt;
    text.remove_prefix(digits);
    std::size_t unitLength = text.find_first_of("0123456789.");
    std::string_view unit = text.substr(0, unitLength);
    auto it = std::find_if(std::begin(kUnits), std::end(kUnits), [&](const auto& u) { return u.first == unit; });
    if (it == std::end(kUnits)) return std::nullopt;
    total += number * it->second;
    text.remove_prefix(unit.size());
  }
  if (total > 24 * 3600e3) return std::nullopt;  // nobody means a dial timeout of days
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(total)));
}

// Go's path.Clean for a URL path, "" for the root: "/a//b/./c/" -> "/a/b/c".
std::string cleanUrlPath(std::string_view path) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0; start <= path.size();) {
    std::size_t slash = std::min(path.find('/', start), path.size());
    std::string_view part = path.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string out;
  for (std::string_view part : parts) out += fmt::format("/{}", part);
  return out;
}

// Whether `text` is not empty and has only letters, digits and the characters in `others`.
bool isWordOf(std::string_view text, std::string_view others) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || others.find(c) != std::string_view::npos;
  });
}

// RFC 9110 token characters: a header name that cannot smuggle another header.
bool isHeaderName(std::string_view name) { return isWordOf(name, "!#$%&'*+-.^_`|~"); }

struct HostEntry {
  RegistryHost host;
  bool overridePath = false;
};

// Reads one hosts.toml. Every error names the file, and the line and column
// of the offending key or value.
class HostsFileReader {
 public:
  HostsFileReader(fs::path file, bool plainHttp) : file_(std::move(file)), plainHttp_(plainHttp) {}

  // The mirrors in file order, then the upstream: its host is "" when the
  // file names no server, for the caller to fill in.
  std::vector<RegistryHost> read() const {
    toml::table doc;
    try {
      doc = toml::parse_file(file_.string());
    } catch (const toml::parse_error& e) {
      fail(e.source(), e.description());
    }
    HostEntry upstream;
    const toml::node* server = nullptr;
    const toml::table* mirrors = nullptr;
    for (auto&& [key, node] : doc) {
      if (key.str() == "server") server = &node;
      else if (key.str() == "host") mirrors = &table(node, "host");
      else readSetting(key, node, "", upstream);
    }
    std::vector<RegistryHost> hosts;
    if (mirrors) {
      for (const auto& [key, node] : inFileOrder(*mirrors)) {
        HostEntry mirror;
        std::string where = fmt::format("[host.{:?}]", key->str());
        for (auto&& [k, v] : table(*node, where)) readSetting(k, v, where, mirror);
        locate(mirror, key->str(), key->source());
        hosts.push_back(std::move(mirror.host));
      }
    }
    if (server) locate(upstream, string(*server, "server"), server->source());
    hosts.push_back(std::move(upstream.host));
    return hosts;
  }

 private:
  [[noreturn]] void fail(const toml::source_region& where, std::string_view what) const {
    const toml::source_position& at = where.begin;
    if (!at) throw Error(TENON_INVALID_ARGUMENT, fmt::format("{}: {}", file_.string(), what));
    throw Error(TENON_INVALID_ARGUMENT, fmt::format("{}:{}:{}: {}", file_.string(), at.line, at.column, what));
  }
  [[noreturn]] void wrongType(const toml::node& node, std::string_view name, std::string_view expected) const {
    std::ostringstream actual;
    actual << node.type();
    fail(node.source(), fmt::format("{} must be {}, not {}", name, expected, actual.str()));
  }
  const std::string& string(const toml::node& node, std::string_view name) const {
    if (const auto* v = node.as_string()) return v->get();
    wrongType(node, name, "a string");
  }
  bool boolean(const toml::node& node, std::string_view name) const {
    if (const auto* v = node.as_boolean()) return v->get();
    wrongType(node, name, "a boolean");
  }
  const toml::table& table(const toml::node& node, std::string_view name) const {
    if (const auto* v = node.as_table()) return *v;
    wrongType(node, name, "a table");
  }
  // A string, or an array of strings.
  std::vector<std::string> strings(const toml::node& node, std::string_view name) const {
    if (const auto* s = node.as_string()) return {s->get()};
    const auto* array = node.as_array();
    if (!array) wrongType(node, name, "a string or an array of strings");
    std::vector<std::string> out;
    for (const toml::node& item : *array) out.push_back(string(item, name));
    return out;
  }

  // toml++ keeps a table's keys sorted; containerd tries mirrors in the order written.
  static std::vector<std::pair<const toml::key*, const toml::node*>> inFileOrder(const toml::table& t) {
    std::vector<std::pair<const toml::key*, const toml::node*>> entries;
    for (auto&& [key, node] : t) entries.emplace_back(&key, &node);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      const toml::source_position &x = a.first->source().begin, &y = b.first->source().begin;
      return std::tie(x.line, x.column) < std::tie(y.line, y.column);
    });
    return entries;
  }

  void readSetting(const toml::key& key, const toml::node& node, std::string_view where, HostEntry& entry) const {
    const std::string name = where.empty() ? std::string(key.str()) : fmt::format("{} {}", where, key.str());
    RegistryHost& host = entry.host;
    if (key.str() == "capabilities") host.capabilities = capabilities(node, name);
    else if (key.str() == "ca") host.caFiles = absolutePaths(strings(node, name));
    else if (key.str() == "client") host.clientCerts = clientPairs(node, name);
    else if (key.str() == "skip_verify") host.skipVerify = boolean(node, name);
    else if (key.str() == "override_path") entry.overridePath = boolean(node, name);
    else if (key.str() == "header") host.headers = headers(table(node, name), name);
    else if (key.str() == "dial_timeout") host.dialTimeout = dialTimeout(node, name);
    else
      fail(key.source(), fmt::format("unknown key {:?}{}{} (known keys: {}{})", key.str(), where.empty() ? "" : " in ",
                                     where, where.empty() ? "server, host, " : "", kHostSettings));
  }

  // containerd: no capabilities (or an empty list) means all three.
  unsigned capabilities(const toml::node& node, std::string_view name) const {
    const auto* array = node.as_array();
    if (!array) wrongType(node, name, "an array of strings");
    unsigned caps = 0;
    for (const toml::node& item : *array) {
      std::string cap = string(item, name);
      std::transform(cap.begin(), cap.end(), cap.begin(), [](unsigned char c) { return std::tolower(c); });
      if (cap == "pull") caps |= kPull;
      else if (cap == "resolve") caps |= kResolve;
      else if (cap == "push") caps |= kPush;
      else fail(item.source(), fmt::format("unknown capability {:?} in {} (want pull, resolve, push)", cap, name));
    }
    return caps ? caps : kPull | kResolve | kPush;
  }

  std::string absolutePath(const std::string& path) const {
    fs::path p(path);
    return (p.is_absolute() ? p : file_.parent_path() / p).lexically_normal().string();
  }
  std::vector<std::string> absolutePaths(std::vector<std::string> paths) const {
    for (std::string& p : paths) p = absolutePath(p);
    return paths;
  }

  // "c.pem", ["c.pem", ...], or [["c.crt", "c.key"], ...]; "" as the key means it is in the certificate's file.
  std::vector<std::pair<std::string, std::string>> clientPairs(const toml::node& node, std::string_view name) const {
    std::vector<std::pair<std::string, std::string>> pairs;
    const auto* array = node.as_array();
    if (!array) {
      pairs.emplace_back(absolutePath(string(node, name)), "");
      return pairs;
    }
    for (const toml::node& item : *array) {
      if (!item.is_array()) {
        pairs.emplace_back(absolutePath(string(item, name)), "");
        continue;
      }
      std::vector<std::string> pair = strings(item, name);
      if (pair.size() != 2) fail(item.source(), fmt::format("{} pairs must be [certificate, key]", name));
      pairs.emplace_back(absolutePath(pair[0]), pair[1].empty() ? "" : absolutePath(pair[1]));
    }
    return pairs;
  }

  std::vector<std::pair<std::string, std::string>> headers(const toml::table& t, std::string_view name) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto&& [key, node] : t) {
      if (!isHeaderName(key.str())) fail(key.source(), fmt::format("{:?} in {} is not a header name", key.str(), name));
      for (std::string& value : strings(node, fmt::format("{}.{}", name, key.str()))) {
        if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
          fail(node.source(), fmt::format("header {:?} has a line break or NUL in its value", key.str()));
        out.emplace_back(key.str(), std::move(value));
      }
    }
    return out;
  }

  std::chrono::milliseconds dialTimeout(const toml::node& node, std::string_view name) const {
    const std::string& text = string(node, name);
    std::optional<std::chrono::milliseconds> timeout = parseGoDuration(text);
    if (!timeout || timeout->count() <= 0)
      fail(node.source(), fmt::format("{} {:?} is not a positive duration such as \"5s\" or \"500ms\"", name, text));
    return *timeout;
  }

  // Sets scheme, host and path from `url`; the /v2 API root is appended unless override_path.
  void locate(HostEntry& entry, std::string_view url, const toml::source_region& where) const {
    RegistryHost& host = entry.host;
    std::string_view rest = url;
    host.scheme = plainHttp_ ? "http" : "https";
    if (std::size_t sep = rest.find("://"); sep != std::string_view::npos) {
      host.scheme = rest.substr(0, sep);
      if (host.scheme != "https" && host.scheme != "http")
        fail(where, fmt::format("{:?}: the scheme must be https or http", url));
      rest.remove_prefix(sep + 3);
    }
    std::size_t slash = rest.find('/');
    host.host = rest.substr(0, slash);
    if (!isWordOf(host.host, ".-_:[]")) fail(where, fmt::format("{:?} has no valid host name", url));
    std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
    if (path.find_first_of("?#") != std::string_view::npos)
      fail(where, fmt::format("{:?}: a registry URL has no query or fragment", url));
    host.path = cleanUrlPath(path);
    if (!entry.overridePath && !host.path.ends_with("/v2")) host.path += "/v2";
  }

  fs::path file_;
  bool plainHttp_;
};

// Docker's certs.d: *.crt are CAs, *.cert a client certificate with its key
// in the *.key of the same name (or within itself when there is none).
RegistryHost readCertsDir(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) files.push_back(e.path());
  if (ec) fail(TENON_INVALID_ARGUMENT, fmt::format("cannot read {}: {}", dir.string(), ec.message()));
  std::sort(files.begin(), files.end());
  RegistryHost host;
  for (const fs::path& file : files) {
    if (file.extension() == ".crt") host.caFiles.push_back(file.string());
    if (file.extension() != ".cert") continue;
    fs::path key = fs::path(file).replace_extension(".key");
    host.clientCerts.emplace_back(file.string(), fs::exists(key, ec) ? key.string() : "");
  }
  return host;
}

bool isFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}
bool isDirectory(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// What the hosts directory says for `domain`, empty when nothing. containerd
// takes the first directory that exists, <domain> then _default, and reads
// its hosts.toml, else its certs.d files.
std::vector<RegistryHost> configuredHosts(const std::string& domain, const HostOptions& options) {
  if (options.hostsDir.empty()) return {};
  for (const fs::path& dir : {fs::path(options.hostsDir) / domain, fs::path(options.hostsDir) / kDefaultDir}) {
    if (!isDirectory(dir)) continue;
    if (isFile(dir / "hosts.toml")) return HostsFileReader(dir / "hosts.toml", options.plainHttp).read();
    return {readCertsDir(dir)};
  }
  return {};
}

}  // namespace

std::vector<RegistryHost> registryHosts(const std::string& domain, const HostOptions& options) {
  // The domain names a directory: it must not climb out of the hosts directory.
  if (domain.empty() || domain == "." || domain == ".." ||
      domain.find_first_of(std::string_view("/\0", 2)) != std::string::npos)
    fail(TENON_INVALID_ARGUMENT, fmt::format("invalid registry domain {:?}", domain));
  std::vector<RegistryHost> hosts = configuredHosts(domain, options);
  if (hosts.empty()) hosts.emplace_back();
  // The upstream that no `server` named; for a loopback one, as containerd
  // does, https with a fallback to http (Docker's localhost exception).
  if (RegistryHost& upstream = hosts.back(); upstream.host.empty()) {
    upstream.path = "/v2";
    if (domain == kDockerHub) {
      upstream.scheme = "https";
      upstream.host = kDockerHubUpstream;
    } else {
      upstream.scheme = options.plainHttp ? "http" : "https";
      upstream.host = domain;
      upstream.httpFallback = !options.plainHttp && isLoopback(domain);
    }
  }
  if (options.skipVerify)
    for (RegistryHost& host : hosts) host.skipVerify = true;
  return hosts;
}

}  // namespace tenon::registry
