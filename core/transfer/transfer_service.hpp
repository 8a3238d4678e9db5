// The Transfer RPC service: imports and exports of image archives, and
// unpacks of images into snapshots, each one a session with a thread of its
// own (see import_session.hpp, export_session.hpp, unpack_session.hpp).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "snapshots/namespaced_snapshotter.hpp"
#include "transfer.capnp.h"
#include "transfer/import_session.hpp"
#include "unpack/image_unpacker.hpp"

namespace tenon::transfer {

class TransferService final : public rpc::Transfer::Server {
 public:
  // `content` is null when no content plugin loaded: every call is then unavailable.
  // `snapshotters` (the daemon's, by name) are what unpack writes into.
  // `afterImport` runs (on the session's thread) when an import or unpack ends: it schedules GC.
  TransferService(content::ContentStore* content, metadata::MetadataStore& metadata,
                  const std::map<std::string, snapshots::NamespacedSnapshotter>& snapshotters,
                  std::function<void()> afterImport, unpack::UnpackLimits limits = {});

 protected:
  kj::Promise<void> import(ImportContext context) override;
  kj::Promise<void> export_(ExportContext context) override;
  kj::Promise<void> unpack(UnpackContext context) override;

 private:
  TransferStores stores();

  content::ContentStore* content_;
  metadata::MetadataStore& metadata_;
  std::function<void()> afterImport_;
  std::optional<unpack::ImageUnpacker> unpacker_;  // with a content store only
};

}  // namespace tenon::transfer
