// The Content RPC service: the namespaced ContentStore over the wire, with
// bytes streamed in chunks both ways and every blocking call on the worker pool.
#pragma once

#include <functional>

#include "content.capnp.h"
#include "content/content_store.hpp"
#include "events/publisher.hpp"
#include "rpc/worker_pool.hpp"

namespace tenon::content {

class ContentService final : public rpc::Content::Server {
 public:
  // `store` is null when no content plugin loaded: every call is then unavailable.
  // `afterDelete` runs (on a worker) after each deletion, which is published
  // as /content/delete: it schedules GC.
  ContentService(ContentStore* store, rpc::WorkerPool& pool, events::Publisher& events,
                 std::function<void()> afterDelete)
      : store_(store), pool_(pool), events_(events), afterDelete_(std::move(afterDelete)) {}

 protected:
  kj::Promise<void> info(InfoContext context) override;
  kj::Promise<void> list(ListContext context) override;
  kj::Promise<void> setLabels(SetLabelsContext context) override;
  kj::Promise<void> delete_(DeleteContext context) override;
  kj::Promise<void> read(ReadContext context) override;
  kj::Promise<void> openWriter(OpenWriterContext context) override;
  kj::Promise<void> ingests(IngestsContext context) override;
  kj::Promise<void> abort(AbortContext context) override;

 private:
  ContentStore& store() const;
  // Streams [offset, end) chunk by chunk, each read on the pool, then done().
  kj::Promise<void> readFrom(std::string ns, std::string digest, int64_t offset, int64_t end,
                             rpc::ByteSink::Client sink);

  ContentStore* store_;
  rpc::WorkerPool& pool_;
  events::Publisher& events_;
  std::function<void()> afterDelete_;
};

// Fills RPC structs from records.
void toRpc(const metadata::ContentRecord& record, rpc::ContentInfo::Builder out);
void toRpc(const IngestStatus& status, rpc::IngestStatus::Builder out);

}  // namespace tenon::content
