// The default config text, written from Config{} itself so that the two cannot
// drift apart: only the comments are spelled out here.
#include <fmt/format.h>

#include <toml++/toml.h>

#include <sstream>

#include "config/config.hpp"

namespace tenon::config {

namespace {

// A TOML basic string ("..."), escaped by toml++; without allow_literal_strings
// it never picks the '...' form, so the text reads like containerd's.
std::string quote(const std::string& text) {
  std::ostringstream out;
  out << toml::toml_formatter{toml::value<std::string>(text), toml::format_flags::allow_unicode_strings};
  return std::move(out).str();
}

std::string quoteAll(const std::vector<std::string>& texts) {
  std::string out = "[";
  for (const std::string& text : texts) out += (out.size() > 1 ? ", " : "") + quote(text);
  return out + "]";
}

}  // namespace

std::string defaultConfigText() {
  const Config d;
  return fmt::format(
      R"(# tenond configuration. Every key is shown with its default; a key left out keeps it.

# Config format version; this tenond reads version 1 only.
version = {version}

# Persistent data: metadata, content, snapshots. Created with mode 0700. Absolute path.
root = {root}

# Runtime state: sockets, shim state, FIFOs; lost at reboot. Created with mode 0711. Absolute path.
state = {state}

# Every *.so file in these directories is loaded as a plugin.
plugin_dirs = {plugin_dirs}

# Extra plugin files, loaded by path (a plugin built out of tree, for example).
plugin_files = {plugin_files}

[log]
# The most verbose level written: error, warn, info, debug or trace.
level = {level}

[rpc]
# The unix socket clients connect to (at most 107 bytes long). Absolute path.
address = {address}
# Owner of the socket file, a numeric uid.
uid = {uid}
# Group of the socket file, a numeric gid.
gid = {gid}
# Mode of the socket file: an integer (0o660, 432) or an octal string ("0660").
mode = 0o{mode:o}

[gc]
# Seconds between garbage collection runs on a timer (0: off). GC also runs
# soon after deletions, and on demand with `ctr gc`.
interval = {gc_interval}

[metrics]
# The Prometheus page, http://ADDRESS/v1/metrics, for every task of every namespace;
# "" (the default) serves none. Loopback only: "127.0.0.1:1338", "[::1]:1338", "localhost:1338".
address = {metrics_address}

[registry]
# The hosts directory, as containerd's: <host[:port]>/hosts.toml per registry (mirrors,
# plain http, CAs, client certificates) and Docker's certs.d files; "" for none.
config_path = {registry_config_path}
# Blobs a pull fetches at once (a client may ask for another number per pull).
max_concurrent_downloads = {max_downloads}
# Blobs a push sends at once.
max_concurrent_uploads = {max_uploads}
# Seconds to connect to a registry host (a hosts.toml dial_timeout wins).
connect_timeout = {connect_timeout}
# Seconds without a byte before a transfer is retried (or the next host tried).
stall_timeout = {stall_timeout}
# Retries per host of a failed request (dropped connection, stall, 5xx), with backoff.
retries = {retries}
# Bytes per second per blob transfer; 0: no limit.
max_download_rate = {max_download_rate}

# One table per plugin, [plugins."<type>.<id>"], with <type> one of runtime, snapshotter,
# content, metrics. `enabled = false` skips the plugin; `path = "/x/y.so"` loads it from
# that file. Every other key is handed to the plugin as its own TOML table.
# [plugins."snapshotter.overlayfs"]
# enabled = true
)",
      fmt::arg("version", d.version), fmt::arg("root", quote(d.root)), fmt::arg("state", quote(d.state)),
      fmt::arg("plugin_dirs", quoteAll(d.pluginDirs)), fmt::arg("plugin_files", quoteAll(d.pluginFiles)),
      fmt::arg("level", quote(std::string(log::levelName(d.logLevel)))), fmt::arg("address", quote(d.rpc.address)),
      fmt::arg("uid", d.rpc.uid), fmt::arg("gid", d.rpc.gid), fmt::arg("mode", d.rpc.mode),
      fmt::arg("gc_interval", d.gcIntervalSeconds), fmt::arg("metrics_address", quote(d.metrics.address)),
      fmt::arg("registry_config_path", quote(d.registry.configPath)),
      fmt::arg("max_downloads", d.registry.maxConcurrentDownloads),
      fmt::arg("max_uploads", d.registry.maxConcurrentUploads),
      fmt::arg("connect_timeout", d.registry.connectTimeoutSeconds),
      fmt::arg("stall_timeout", d.registry.stallTimeoutSeconds), fmt::arg("retries", d.registry.retries),
      fmt::arg("max_download_rate", d.registry.maxDownloadRate));
}

}  // namespace tenon::config
