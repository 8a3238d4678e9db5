// The Containers RPC service: container records (metadata/containers) over
// the wire, every store call on the worker pool, each change announced as
// /containers/create, /containers/update or /containers/delete once committed.
#pragma once

#include <functional>
#include <string>

#include "containers.capnp.h"
#include "events/publisher.hpp"
#include "metadata/containers.hpp"
#include "metadata/metadata_store.hpp"
#include "rpc/worker_pool.hpp"

namespace tenon::containers {

// What the service needs to know from outside the store.
struct ContainersOptions {
  // The runtime of a container created without one: containerd's ctr users expect runc.
  std::string defaultRuntime = "runc";
  // Whether (namespace, id) has a task; delete is refused while it does.
  // Required; called on a worker thread, so it may block.
  std::function<bool(const std::string& ns, const std::string& id)> hasTask;
  // Whether a runtime of that name is loaded; unset accepts every well-formed name.
  std::function<bool(const std::string& runtime)> knownRuntime;
  // Runs (on a worker) after a delete, whose snapshot may now be garbage: schedules GC.
  std::function<void()> afterDelete;
};

class ContainersService final : public rpc::Containers::Server {
 public:
  ContainersService(metadata::MetadataStore& store, rpc::WorkerPool& pool, events::Publisher& events,
                    ContainersOptions options);

 protected:
  kj::Promise<void> get(GetContext context) override;
  kj::Promise<void> list(ListContext context) override;
  kj::Promise<void> create(CreateContext context) override;
  kj::Promise<void> update(UpdateContext context) override;
  kj::Promise<void> delete_(DeleteContext context) override;

 private:
  // Fills in the default runtime and refuses an unknown one or a spec that is not an object.
  metadata::Container prepareNew(metadata::Container container) const;
  metadata::Container updateRecord(const std::string& ns, const metadata::Container& wanted,
                                   const std::vector<std::string>& fields);
  metadata::Container removeRecord(const std::string& ns, const std::string& id);

  metadata::MetadataStore& store_;
  rpc::WorkerPool& pool_;
  events::Publisher& events_;
  ContainersOptions options_;
};

// Between the RPC structs and the records.
void toRpc(const metadata::Container& container, rpc::Container::Builder out);
metadata::Container fromRpc(rpc::Container::Reader container);

}  // namespace tenon::containers
