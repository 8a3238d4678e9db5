// A content store as the daemon has it: the real content-local plugin, a real
// metadata store, the namespaced ContentStore over both, and a collector.
#pragma once

#include "../content/content_local_fixture.hpp"
#include "content/content_store.hpp"
#include "gc/garbage_collector.hpp"
#include "metadata/content_records.hpp"
#include "metadata/images.hpp"

namespace tenon::content::test {

namespace cr = tenon::metadata::content_records;

struct World {
  Store blobs;
  std::unique_ptr<metadata::MetadataStore> metadata = metadata::MetadataStore::open(blobs.dir / "metadata");
  content::ContentStore store{blobs.table(), *metadata};
  // Closed only after the collector's thread, which logs, has stopped (members go in reverse).
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> logFile{std::fopen("/dev/null", "w"), &std::fclose};
  log::Logger logger{log::Level::debug, logFile.get()};
  gc::GarbageCollector collector{*metadata, &store, logger, std::chrono::milliseconds(0)};


  // Ingests `data` in `ns` with `labels`; returns its digest.
  std::string put(const std::string& ns, std::string_view data, metadata::Labels labels = {},
                  const std::string& lease = "") {
    std::string digest = blobs.digestOf(data);
    content::OpenedIngest opened = store.openIngest(ns, "ref-" + digest.substr(7, 12), -1, "", lease);
    opened.writer->write(0, bytes(data));
    store.commit(ns, *opened.writer, static_cast<int64_t>(data.size()), digest, labels, lease);
    return digest;
  }
  bool recorded(const std::string& ns, const std::string& digest) {
    return metadata->view([&](const metadata::ReadTx& tx) { return cr::find(tx, ns, digest).has_value(); });
  }
  bool stored(const std::string& digest) {
    std::vector<std::string> all = blobs.blobs();
    return std::find(all.begin(), all.end(), digest) != all.end();
  }
  void image(const std::string& ns, const std::string& name, const std::string& digest) {
    metadata->update([&](metadata::WriteTx& tx) {
      metadata::images::create(tx, ns, {name, {"application/vnd.oci.image.manifest.v1+json", digest, 1, {}}, {}, 0, 0});
    });
  }
};

}  // namespace tenon::content::test
