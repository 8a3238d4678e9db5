// The Snapshots RPC service of one snapshotter plugin: the RPC edge of a
// NamespacedSnapshotter, whose calls run on the worker pool. Changes are
// published under containerd's topics: /snapshot/prepare, /snapshot/commit,
// /snapshot/remove.
#pragma once

#include <string>

#include "events/publisher.hpp"
#include "rpc/worker_pool.hpp"
#include "snapshots.capnp.h"
#include "snapshots/namespaced_snapshotter.hpp"

namespace tenon::snapshots {

class SnapshotsService final : public rpc::Snapshots::Server {
 public:
  SnapshotsService(const NamespacedSnapshotter& snapshotter, rpc::WorkerPool& pool, events::Publisher& events)
      : snapshotter_(snapshotter), pool_(pool), events_(events) {}

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

  const NamespacedSnapshotter& snapshotter_;
  rpc::WorkerPool& pool_;
  events::Publisher& events_;
};

}  // namespace tenon::snapshots
