// The Gc RPC service: garbage collection on demand.
#pragma once

#include "gc.capnp.h"
#include "gc/garbage_collector.hpp"
#include "rpc/worker_pool.hpp"

namespace tenon::gc {

class GcService final : public rpc::Gc::Server {
 public:
  GcService(GarbageCollector& collector, rpc::WorkerPool& pool) : collector_(collector), pool_(pool) {}

 protected:
  kj::Promise<void> collect(CollectContext context) override;

 private:
  GarbageCollector& collector_;
  rpc::WorkerPool& pool_;
};

}  // namespace tenon::gc
