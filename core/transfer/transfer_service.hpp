// The Transfer RPC service: imports and exports of image archives, unpacks
// of images into snapshots, pulls from and pushes to registries, each one a
// session with a thread of its own (see import_session.hpp,
// export_session.hpp, unpack_session.hpp, pull/pull_session.hpp,
// push/push_session.hpp). Images recorded by imports and pulls are published
// as /images/create or /images/update.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "events/publisher.hpp"
#include "snapshots/namespaced_snapshotter.hpp"
#include "transfer.capnp.h"
#include "transfer/import_session.hpp"
#include "transfer/session_keeper.hpp"
#include "transfer/registry_access.hpp"
#include "unpack/image_unpacker.hpp"
#include "unpack/keyed_locks.hpp"

namespace tenon::transfer {

class TransferService final : public rpc::Transfer::Server {
 public:
  // `content` is null when no content plugin loaded: every call is then unavailable.
  // `snapshotters` (the daemon's, by name) are what unpack writes into.
  // `afterImport` runs (on the session's thread) when an import, unpack or pull ends: it schedules GC.
  // `registries` is how pulls and pushes reach registries.
  TransferService(content::ContentStore* content, metadata::MetadataStore& metadata,
                  const std::map<std::string, snapshots::NamespacedSnapshotter>& snapshotters,
                  std::function<void()> afterImport, events::Publisher& events, RegistryAccess registries,
                  unpack::UnpackLimits limits = {});

 protected:
  kj::Promise<void> import(ImportContext context) override;
  kj::Promise<void> export_(ExportContext context) override;
  kj::Promise<void> unpack(UnpackContext context) override;
  kj::Promise<void> pull(PullContext context) override;
  kj::Promise<void> push(PushContext context) override;

 private:
  TransferStores stores();

  content::ContentStore* content_;
  metadata::MetadataStore& metadata_;
  std::function<void()> afterImport_;
  events::Publisher& events_;
  RegistryAccess registries_;
  std::optional<unpack::ImageUnpacker> unpacker_;  // with a content store only
  unpack::KeyedLocks downloads_;  // by digest, shared by every pull: a blob is fetched once at a time
  SessionKeeper sessions_;        // pulls and pushes until their threads end (last: they use the rest)
};

}  // namespace tenon::transfer
