// The Namespaces RPC service over the metadata store; changes are published
// as /namespaces/create, /namespaces/update and /namespaces/delete.
#pragma once

#include "events/publisher.hpp"
#include "metadata/metadata_store.hpp"
#include "namespaces.capnp.h"
#include "rpc/worker_pool.hpp"

namespace tenon::namespaces {

class NamespacesService final : public rpc::Namespaces::Server {
 public:
  NamespacesService(metadata::MetadataStore& store, rpc::WorkerPool& pool, events::Publisher& events)
      : store_(store), pool_(pool), events_(events) {}

 protected:
  kj::Promise<void> create(CreateContext context) override;
  kj::Promise<void> get(GetContext context) override;
  kj::Promise<void> list(ListContext context) override;
  kj::Promise<void> setLabels(SetLabelsContext context) override;
  kj::Promise<void> delete_(DeleteContext context) override;

 private:
  metadata::MetadataStore& store_;
  rpc::WorkerPool& pool_;
  events::Publisher& events_;
};

}  // namespace tenon::namespaces
