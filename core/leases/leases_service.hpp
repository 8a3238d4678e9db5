// The Leases RPC service over the metadata store.
#pragma once

#include <functional>

#include "leases.capnp.h"
#include "metadata/metadata_store.hpp"
#include "rpc/worker_pool.hpp"

namespace tenon::leases {

class LeasesService final : public rpc::Leases::Server {
 public:
  // `afterDelete` runs (on a worker) after a lease is deleted: it schedules GC.
  LeasesService(metadata::MetadataStore& store, rpc::WorkerPool& pool, std::function<void()> afterDelete)
      : store_(store), pool_(pool), afterDelete_(std::move(afterDelete)) {}

 protected:
  kj::Promise<void> create(CreateContext context) override;
  kj::Promise<void> list(ListContext context) override;
  kj::Promise<void> delete_(DeleteContext context) override;
  kj::Promise<void> addResource(AddResourceContext context) override;
  kj::Promise<void> deleteResource(DeleteResourceContext context) override;
  kj::Promise<void> listResources(ListResourcesContext context) override;

 private:
  template <class Context>
  kj::Promise<void> changeResource(Context context, bool add);
  metadata::MetadataStore& store_;
  rpc::WorkerPool& pool_;
  std::function<void()> afterDelete_;
};

}  // namespace tenon::leases
