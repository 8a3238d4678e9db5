// The snapshotter conformance fixture: each snapshotter plugin on a private
// root, loaded from its built .so through the core's plugin loader and driven
// through SnapshotterTable, the view the core uses; restartable like the
// daemon. The suite is written once and runs against every plugin in
// snapshotterPlugins(); one that fails init (a kernel without its
// filesystem) is reported as skipped, with its reason.
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <tenon/mounter.hpp>
#include <vector>

#include "plugins/plugin_set.hpp"
#include "snapshots/snapshotter_table.hpp"
#include "thrown_error.hpp"

namespace tenon::snapshots::test {

namespace stdfs = std::filesystem;

// How a layer's writer (unpack) marks a deletion and an opaque directory in
// the layers of a snapshotter's filesystem.
enum class Whiteouts {
  overlay,  // a 0/0 character device; the xattr trusted.overlay.opaque=y
  aufs,     // an empty .wh.<name> file; an empty .wh..wh..opq file inside
};

struct SnapshotterPlugin {
  std::string id;  // the plugin's id, also the service it registers
  std::string path;
  Whiteouts whiteouts = Whiteouts::overlay;
  // The deepest chain the suite mounts: 128 layers, or as deep as the
  // filesystem stacks on a kernel built with its defaults.
  int deepChain = 128;
};

// Whether this process may mount (root, or CAP_SYS_ADMIN in its namespace).
inline bool canMount() { return ::geteuid() == 0; }

inline std::vector<SnapshotterPlugin> snapshotterPlugins() {
  return {{"overlayfs", SNAPSHOT_OVERLAY_PLUGIN, Whiteouts::overlay, 128},
          // 126 read-only branches under the rw one: aufs's CONFIG_AUFS_BRANCH_MAX_127.
          {"aufs", SNAPSHOT_AUFS_PLUGIN, Whiteouts::aufs, 126}};
}

inline SnapshotterPlugin snapshotterPlugin(const std::string& id) {
  for (const SnapshotterPlugin& plugin : snapshotterPlugins())
    if (plugin.id == id) return plugin;
  FAIL("no snapshotter plugin " << id);
  return {};
}

// `n` snapshot ids counting down from `top`: a chain's parents, nearest
// first, on a host that has made many snapshots.
inline std::vector<uint64_t> chainIds(size_t n, uint64_t top) {
  std::vector<uint64_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = top - i;
  return out;
}

using tenon::test::errorFrom;

inline void writeFile(const stdfs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

inline std::optional<std::string> readFile(const stdfs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The directory a writer of layers (unpack) writes into: the overlay's
// upperdir, aufs's first (rw) branch, or the source of a writable bind.
inline stdfs::path upperOf(const std::vector<Mount>& mounts) {
  REQUIRE_FALSE(mounts.empty());
  for (const std::string& o : mounts[0].options) {
    if (o.starts_with("upperdir=")) return o.substr(9);
    if (o.starts_with("br:") && o.find("=rw") != std::string::npos) return o.substr(3, o.find("=rw") - 3);
  }
  REQUIRE(mounts[0].type == "bind");
  return mounts[0].source;
}

// One snapshotter plugin on a private root.
struct Snapshotter {
  SnapshotterPlugin plugin;
  stdfs::path dir;
  std::FILE* logFile = std::fopen("/dev/null", "w");
  log::Logger logger{log::Level::debug, logFile};
  plugins::ServiceRegistry registry;
  std::unique_ptr<plugins::PluginSet> pluginSet;
  std::string loadError;  // why the plugin did not load, "" when it did

  explicit Snapshotter(SnapshotterPlugin p) : plugin(std::move(p)) {
    char tmpl[] = "/tmp/tenon-snapshots-XXXXXX";
    dir = ::mkdtemp(tmpl);
    start();
  }
  ~Snapshotter() {
    unmountAllUnder(dir);
    pluginSet.reset();
    std::fclose(logFile);
    std::error_code ignored;
    stdfs::remove_all(dir, ignored);
  }
  bool loaded() const { return loadError.empty(); }
  void start() {
    pluginSet = std::make_unique<plugins::PluginSet>(registry, logger, plugins::EventPublisher{});
    pluginSet->load({{}, {plugin.path}, {}, (dir / "root").string(), (dir / "state").string()});
    REQUIRE(pluginSet->plugins().size() == 1);
    const plugins::PluginRecord& record = pluginSet->plugins()[0];
    loadError = record.state == plugins::PluginState::loaded ? "" : record.error;
  }
  // What a daemon restart does to the plugin: fini, then a fresh init on the same root.
  void restart() {
    pluginSet.reset();
    start();
    INFO(loadError);
    REQUIRE(loaded());
  }
  SnapshotterTable table() const {
    return SnapshotterTable(registry.get<tenon_snapshotter_service>(plugin.id));
  }
  stdfs::path root() const { return dir / "root" / ("snapshotter." + plugin.id); }
  stdfs::path mountPoint(const std::string& name) const { return dir / "mnt" / name; }

  // Prepares `key` on `parent`, lets `fill` write through a real mount, and
  // commits it as `name`.
  template <class Fill>
  void commitLayer(const std::string& name, const std::string& parent, Fill&& fill) const {
    std::string key = name + "-active";
    {
      ScopedMounts mounted(table().prepare(key, parent), mountPoint(key));
      fill(mounted.root());
    }
    table().commit(name, key);
  }
};

// Runs `body` against each snapshotter plugin that loads; the suite mounts
// what the plugins hand out, so without the right to mount it is skipped.
template <class Body>
void forEachSnapshotter(Body&& body) {
  if (!canMount()) {
    MESSAGE("skipped the snapshotter suite: mounting needs root");
    return;
  }
  for (const SnapshotterPlugin& plugin : snapshotterPlugins()) {
    CAPTURE(plugin.id);
    Snapshotter s(plugin);
    if (!s.loaded()) {
      MESSAGE("skipped snapshotter " << plugin.id << ": " << s.loadError);
      continue;
    }
    body(s);
  }
}

}  // namespace tenon::snapshots::test
