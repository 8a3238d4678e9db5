// The Images RPC service: ImageStore over the wire, every call on the worker
// pool; changes are published as /images/create, /images/update, /images/delete.
#pragma once

#include <functional>

#include "events/publisher.hpp"
#include "images.capnp.h"
#include "images/image_store.hpp"
#include "rpc/worker_pool.hpp"

namespace tenon::images {

class ImagesService final : public rpc::Images::Server {
 public:
  // `afterDelete` runs (on a worker) after an image is deleted: it schedules GC.
  ImagesService(ImageStore& store, rpc::WorkerPool& pool, events::Publisher& events, std::function<void()> afterDelete)
      : store_(store), pool_(pool), events_(events), afterDelete_(std::move(afterDelete)) {}

 protected:
  kj::Promise<void> get(GetContext context) override;
  kj::Promise<void> list(ListContext context) override;
  kj::Promise<void> create(CreateContext context) override;
  kj::Promise<void> update(UpdateContext context) override;
  kj::Promise<void> delete_(DeleteContext context) override;

 private:
  ImageStore& store_;
  rpc::WorkerPool& pool_;
  events::Publisher& events_;
  std::function<void()> afterDelete_;
};

// Between the RPC structs and the records.
void toRpc(const metadata::Image& image, rpc::Image::Builder out);
metadata::Image fromRpc(rpc::Image::Reader image);
metadata::Descriptor fromRpc(rpc::Descriptor::Reader descriptor);

}  // namespace tenon::images
