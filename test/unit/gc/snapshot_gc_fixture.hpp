// Snapshots as the daemon keeps them, for the GC and recovery tests: the real
// overlayfs plugin on a private root (loaded as snapshotter_fixture loads it),
// a real metadata store beside it, the namespaced snapshotter over both, and a
// collector without a content store. Records that only mark (images, content
// records, containers, leases) are written straight into the store.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../snapshots/snapshotter_fixture.hpp"
#include "gc/garbage_collector.hpp"
#include "metadata/containers.hpp"
#include "metadata/content_records.hpp"
#include "metadata/images.hpp"
#include "metadata/leases.hpp"
#include "metadata/lmdb.hpp"
#include "metadata/snapshot_records.hpp"

namespace tenon::gc::test {

namespace stdfs = std::filesystem;
using snapshots::test::errorFrom;

inline constexpr const char* kOverlay = "overlayfs";

// "sha256:" and 64 times the hex digit `c`: a well-formed digest no blob needs to back.
inline std::string fakeDigest(char c) { return "sha256:" + std::string(64, c); }

struct SnapshotWorld {
  snapshots::test::Snapshotter plugin{{kOverlay, SNAPSHOT_OVERLAY_PLUGIN}};
  std::unique_ptr<metadata::MetadataStore> metadata = metadata::MetadataStore::open(plugin.dir / "metadata");
  // Closed only after the collector's thread, which logs, has stopped (members go in reverse).
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> logFile{std::fopen("/dev/null", "w"), &std::fclose};
  log::Logger logger{log::Level::debug, logFile.get()};
  Snapshotters snapshotters;
  std::unique_ptr<GarbageCollector> collector;

  // What the snapshotter calls instead of the plugin's own table (to make some calls fail).
  using Wrap = std::function<snapshots::SnapshotterTable(ServiceRef<tenon_snapshotter_service> real)>;

  explicit SnapshotWorld(const Wrap& wrap = {}) {
    if (!snapshots::test::canMount() || !plugin.loaded()) return;  // ready() says so
    auto real = plugin.registry.get<tenon_snapshotter_service>(kOverlay);
    snapshots::SnapshotterTable table = wrap ? wrap(real) : plugin.table();
    snapshotters.emplace(kOverlay, snapshots::NamespacedSnapshotter(kOverlay, table, *metadata));
    collector =
        std::make_unique<GarbageCollector>(*metadata, nullptr, snapshotters, logger, std::chrono::milliseconds(0));
  }

  // Whether the plugin loaded (it needs root); tests return early, with a message, when not.
  bool ready() const {
    if (snapshots::test::canMount() && plugin.loaded()) return true;
    MESSAGE("skipped: the overlayfs snapshotter did not load: " << (plugin.loaded() ? "not root" : plugin.loadError));
    return false;
  }

  const snapshots::NamespacedSnapshotter& overlay() const { return snapshotters.at(kOverlay); }

  // Commits `names` in `ns` as one chain on `parent`, each the parent of the next.
  void commitChain(const std::string& ns, const std::vector<std::string>& names, std::string parent = "") const {
    for (const std::string& name : names) {
      overlay().prepare(ns, name + "-active", parent);
      overlay().commit(ns, name, name + "-active");
      parent = name;
    }
  }

  std::vector<std::string> keys(const std::string& ns) const {
    std::vector<std::string> out;
    for (const auto& d : overlay().list(ns)) out.push_back(d.record.key);
    return out;
  }

  std::string backingOf(const std::string& ns, const std::string& key) const {
    return metadata->view([&](const metadata::ReadTx& tx) {
      return metadata::snapshot_records::get(tx, ns, kOverlay, key).backingKey;
    });
  }

  // What the plugin itself holds, by backing key.
  std::set<std::string> pluginKeys() const {
    std::set<std::string> out;
    plugin.table().walk([&](const snapshots::SnapshotInfo& info) { out.insert(info.name); });
    return out;
  }

  void lease(const std::string& ns, const std::string& id) const {
    metadata->update([&](metadata::WriteTx& tx) { metadata::leases::create(tx, ns, {id, {}, 0, 0}); });
  }

  void container(const std::string& ns, const std::string& id, const std::string& snapshotKey) const {
    metadata->update([&](metadata::WriteTx& tx) {
      metadata::containers::create(tx, ns, {id, "", {"runc", ""}, "{}", kOverlay, snapshotKey, {}, 0, 0});
    });
  }

  // An image whose manifest names a config labelled with the chain's top, as unpacking leaves it.
  void imageOnChain(const std::string& ns, const std::string& name, const std::string& top) const {
    std::string manifest = fakeDigest('a'), config = fakeDigest('c');
    metadata->update([&](metadata::WriteTx& tx) {
      metadata::content_records::add(tx, ns, config, 1, {{"tenon.io/gc.ref.snapshot.overlayfs", top}});
      metadata::content_records::add(tx, ns, manifest, 1, {{"tenon.io/gc.ref.content.config", config}});
      metadata::Descriptor target{"application/vnd.oci.image.manifest.v1+json", manifest, 1, {}};
      metadata::images::create(tx, ns, {name, target, {}, 0, 0});
    });
  }
};

// Writes `value` under `key` of the table `dbi` of the closed store in `dir`,
// past every check of the record functions: how a damaged record comes about.
inline void writeRawRecord(const stdfs::path& dir, const char* dbi, const std::string& key, const std::string& value) {
  metadata::lmdb::Env env(dir, {});
  metadata::lmdb::WriteTxn txn(env);
  txn.put(env.openDbi(txn, dbi), key, value);
  txn.commit();
}

// "snapshot <ns> overlayfs <key>", as the report names one.
inline std::string reported(const std::string& ns, const std::string& key) {
  return "snapshot " + ns + " " + kOverlay + " " + key;
}

// Where `line` is in `lines`; lines.size() when it is not.
inline size_t indexOf(const std::vector<std::string>& lines, const std::string& line) {
  return static_cast<size_t>(std::find(lines.begin(), lines.end(), line) - lines.begin());
}

}  // namespace tenon::gc::test
