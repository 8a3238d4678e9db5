// The Snapshots RPC service of one snapshotter plugin. Keys are the
// namespace's: metadata/snapshot_records maps each (namespace, snapshotter,
// key) onto the backing key the plugin knows, so one namespace never sees
// another's snapshots. Plugin calls and the store run on the worker pool.
//
// Order for crash safety: prepare/view = plugin first, then the record (a
// failed record removes the plugin snapshot); remove = record first (children
// refused there), then the plugin; commit = plugin commit under a new backing
// key, then one transaction swapping the active record for the committed one.
// What a crash leaves in the plugin with no record is a stray for cleanup.
#pragma once

#include <string>

#include "metadata/metadata_store.hpp"
#include "rpc/worker_pool.hpp"
#include "snapshots.capnp.h"
#include "snapshots/snapshotter_table.hpp"

namespace tenon::snapshots {

class SnapshotsService final : public rpc::Snapshots::Server {
 public:
  SnapshotsService(std::string snapshotter, SnapshotterTable table, metadata::MetadataStore& store,
                   rpc::WorkerPool& pool)
      : snapshotter_(std::move(snapshotter)), table_(table), store_(store), pool_(pool) {}

 protected:
  kj::Promise<void> prepare(PrepareContext context) override;
  kj::Promise<void> view(ViewContext context) override;
  kj::Promise<void> mounts(MountsContext context) override;
  kj::Promise<void> commit(CommitContext context) override;
  kj::Promise<void> remove(RemoveContext context) override;
  kj::Promise<void> stat(StatContext context) override;
  kj::Promise<void> update(UpdateContext context) override;
  kj::Promise<void> usage(UsageContext context) override;
  kj::Promise<void> list(ListContext context) override;

 private:
  template <class Context>
  kj::Promise<void> serveCreate(Context context, bool active);
  template <class Context>
  static kj::Promise<void> replyMounts(kj::Promise<std::vector<Mount>> mounts, Context context);
  // Creates an active snapshot or a view (in the plugin, then the record); its mounts.
  std::vector<Mount> create(bool active, const std::string& ns, const std::string& key, const std::string& parent,
                            const Labels& labels);

  std::string snapshotter_;
  SnapshotterTable table_;
  metadata::MetadataStore& store_;
  rpc::WorkerPool& pool_;
};

}  // namespace tenon::snapshots
