// The Namespaces RPC service over the metadata store.
#pragma once

#include "metadata/metadata_store.hpp"
#include "namespaces.capnp.h"
#include "rpc/worker_pool.hpp"

namespace tenon::namespaces {

class NamespacesService final : public rpc::Namespaces::Server {
 public:
  NamespacesService(metadata::MetadataStore& store, rpc::WorkerPool& pool) : store_(store), pool_(pool) {}

 protected:
  kj::Promise<void> create(CreateContext context) override;
  kj::Promise<void> get(GetContext context) override;
  kj::Promise<void> list(ListContext context) override;
  kj::Promise<void> setLabels(SetLabelsContext context) override;
  kj::Promise<void> delete_(DeleteContext context) override;

 private:
  metadata::MetadataStore& store_;
  rpc::WorkerPool& pool_;
};

}  // namespace tenon::namespaces
