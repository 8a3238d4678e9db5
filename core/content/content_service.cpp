#include "content/content_service.hpp"

#include <algorithm>
#include <limits>
#include <memory>

#include "rpc/labels.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::content {

namespace {

// Big enough to amortise a round trip, small enough to keep memory flat.
constexpr size_t kChunk = 1 << 20;

// An ingest's writer, held by the client's capability. Writes arrive in order
// but are applied on worker threads, so each one waits for the one before.
class WriterImpl final : public rpc::Writer::Server {
 public:
  WriterImpl(ContentStore& store, rpc::WorkerPool& pool, std::string ns, std::string lease, ContentWriter writer)
      : store_(store),
        pool_(pool),
        ns_(std::move(ns)),
        lease_(std::move(lease)),
        writer_(std::make_shared<ContentWriter>(std::move(writer))) {}

 protected:
  kj::Promise<void> write(WriteContext context) override {
    auto params = context.getParams();
    int64_t offset = params.getOffset();
    auto data = params.getData();
    std::vector<uint8_t> bytes(data.begin(), data.end());
    return enqueue([store = &store_, ns = ns_, writer = writer_, offset, bytes = std::move(bytes)] {
      store->write(ns, *writer, offset, bytes);
    });
  }

  kj::Promise<void> commit(CommitContext context) override {
    auto params = context.getParams();
    int64_t size = params.getSize();
    std::string digest = params.getDigest();
    metadata::Labels labels = rpc::fromRpc(params.getLabels());
    auto record = std::make_shared<metadata::ContentRecord>();
    return enqueue([store = &store_, ns = ns_, lease = lease_, writer = writer_, size, digest, labels, record] {
             *record = store->commit(ns, *writer, size, digest, labels, lease);
           })
        .then([context, record]() mutable { toRpc(*record, context.getResults().initInfo()); });
  }

  kj::Promise<void> status(StatusContext context) override {
    auto status = std::make_shared<IngestStatus>();
    return enqueue([writer = writer_, status] { *status = writer->status(); })
        .then([context, status]() mutable { toRpc(*status, context.getResults().initStatus()); });
  }

 private:
  template <class F>
  kj::Promise<void> enqueue(F&& job) {
    auto next = tail_.then([&pool = pool_, job = std::forward<F>(job)]() mutable { return pool.run(kj::mv(job)); })
                    .fork();
    tail_ = next.addBranch();
    return next.addBranch();
  }

  ContentStore& store_;
  rpc::WorkerPool& pool_;
  std::string ns_;
  std::string lease_;  // holds what the writer commits
  std::shared_ptr<ContentWriter> writer_;  // shared with queued jobs, which may outlive this capability
  kj::Promise<void> tail_ = kj::READY_NOW;
};

}  // namespace

void toRpc(const metadata::ContentRecord& record, rpc::ContentInfo::Builder out) {
  out.setDigest(record.digest.c_str());
  out.setSize(record.size);
  out.setCreatedAt(record.createdAt);
  out.setUpdatedAt(record.updatedAt);
  rpc::toRpc(record.labels, out.initLabels(record.labels.size()));
}

void toRpc(const IngestStatus& status, rpc::IngestStatus::Builder out) {
  out.setRef(status.ref.c_str());
  out.setOffset(status.offset);
  out.setTotal(status.total);
  out.setExpectedDigest(status.expectedDigest.c_str());
  out.setStartedAt(status.started);
  out.setUpdatedAt(status.updated);
}

ContentStore& ContentService::store() const {
  if (store_ == nullptr) fail(TENON_UNAVAILABLE, "no content plugin is loaded (see ctr plugins ls)");
  return *store_;
}

kj::Promise<void> ContentService::info(InfoContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::string digest = context.getParams().getDigest();
    return pool_.run([this, ns, digest] { return store().info(ns, digest); })
        .then([context](metadata::ContentRecord record) mutable { toRpc(record, context.getResults().initInfo()); });
  });
}

kj::Promise<void> ContentService::list(ListContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::vector<std::string> texts;
    for (auto f : context.getParams().getFilters()) texts.emplace_back(f.cStr());
    auto filter = std::make_shared<filters::Filter>(filters::Filter::parse(texts));
    return pool_.run([this, ns, filter] { return store().list(ns, *filter); })
        .then([context](std::vector<metadata::ContentRecord> records) mutable {
          auto out = context.getResults().initInfos(records.size());
          for (size_t i = 0; i < records.size(); ++i) toRpc(records[i], out[i]);
        });
  });
}

kj::Promise<void> ContentService::setLabels(SetLabelsContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string digest = params.getDigest();
    metadata::Labels labels = rpc::fromRpc(params.getLabels());
    return pool_.run([this, ns, digest, labels] { return store().setLabels(ns, digest, labels); })
        .then([context](metadata::ContentRecord record) mutable { toRpc(record, context.getResults().initInfo()); });
  });
}

kj::Promise<void> ContentService::delete_(DeleteContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::string digest = context.getParams().getDigest();
    return pool_.run([this, ns, digest] {
      store().remove(ns, digest);
      events_.publish(ns, "/content/delete", {{"digest", digest}});
      if (afterDelete_) afterDelete_();
    });
  });
}

kj::Promise<void> ContentService::read(ReadContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string digest = params.getDigest();
    int64_t offset = params.getOffset(), length = params.getLength();
    if (offset < 0 || length < 0) fail(TENON_INVALID_ARGUMENT, "offset and length must not be negative");
    int64_t end = length == 0 ? std::numeric_limits<int64_t>::max() : offset + length;
    return readFrom(ns, digest, offset, end, params.getSink());
  });
}

kj::Promise<void> ContentService::readFrom(std::string ns, std::string digest, int64_t offset, int64_t end,
                                           rpc::ByteSink::Client sink) {
  size_t want = static_cast<size_t>(std::min<int64_t>(kChunk, end - offset));
  if (want == 0) return sink.doneRequest().send().ignoreResult();
  return pool_.run([this, ns, digest, offset, want] {
           std::vector<uint8_t> buf(want);
           buf.resize(store().readAt(ns, digest, offset, buf));
           return buf;
         })
      .then([this, ns, digest, offset, end, sink](std::vector<uint8_t> buf) mutable -> kj::Promise<void> {
        if (buf.empty()) return sink.doneRequest().send().ignoreResult();
        auto request = sink.writeRequest();
        request.setData(kj::arrayPtr(buf.data(), buf.size()));
        int64_t next = offset + static_cast<int64_t>(buf.size());
        return request.send().then([this, ns, digest, next, end, sink]() mutable {
          return readFrom(ns, digest, next, end, sink);
        });
      });
}

kj::Promise<void> ContentService::openWriter(OpenWriterContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string lease = rpc::requestLease(params.getCtx());
    std::string ref = params.getRef(), expected = params.getExpectedDigest();
    int64_t total = params.getTotal();
    return pool_.run([this, ns, ref, total, expected, lease] {
             return std::make_shared<OpenedIngest>(store().openIngest(ns, ref, total, expected, lease));
           })
        .then([this, context, ns, lease](std::shared_ptr<OpenedIngest> opened) mutable -> kj::Promise<void> {
          toRpc(opened->status, context.getResults().initStatus());
          if (opened->existing)  // recorded in the namespace already: nothing to send
            return rpc::toKjException(TENON_ALREADY_EXISTS, "content " + opened->existing->digest + " exists");
          context.getResults().setWriter(kj::heap<WriterImpl>(*store_, pool_, ns, lease, std::move(*opened->writer)));
          return kj::READY_NOW;
        });
  });
}

kj::Promise<void> ContentService::ingests(IngestsContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    return pool_.run([this, ns] { return store().ingests(ns); })
        .then([context](std::vector<IngestStatus> statuses) mutable {
          auto out = context.getResults().initStatuses(statuses.size());
          for (size_t i = 0; i < statuses.size(); ++i) toRpc(statuses[i], out[i]);
        });
  });
}

kj::Promise<void> ContentService::abort(AbortContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::string ref = context.getParams().getRef();
    return pool_.run([this, ns, ref] { store().abort(ns, ref); });
  });
}

}  // namespace tenon::content
