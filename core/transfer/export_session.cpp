#include "transfer/export_session.hpp"

#include <tenon/error.hpp>

#include "rpc/rpc_errors.hpp"
#include "transfer/archive_export.hpp"

namespace tenon::transfer {

namespace {

constexpr std::size_t kPipeCapacity = 4 << 20;
constexpr std::size_t kChunk = 1 << 20;  // per RPC write

}  // namespace

ExportSession::ExportSession(TransferStores stores, std::string ns, std::vector<std::string> names,
                             rpc::ByteSink::Client sink, rpc::ProgressSink::Client progress)
    : stores_(std::move(stores)),
      ns_(std::move(ns)),
      names_(std::move(names)),
      sink_(kj::mv(sink)),
      pipe_(kPipeCapacity),
      progress_(kj::mv(progress)) {
  auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
  result_ = kj::mv(paf.promise);
  resultFulfiller_ = kj::mv(paf.fulfiller);
  thread_ = std::thread([this] { run(); });
}

ExportSession::~ExportSession() {
  pipe_.fail(TENON_CANCELLED, "the export was cancelled: the client went away");
  thread_.join();
}

void ExportSession::run() {
  try {
    ArchiveExport archive(stores_.content, stores_.metadata, ns_, names_, progress_);
    archive.run([this](const void* data, std::size_t size) { pipe_.write(data, size); });
    pipe_.close();
    resultFulfiller_->fulfill();
  } catch (const Error& e) {
    pipe_.fail(e.code(), e.what());  // the pump stops with this
    resultFulfiller_->reject(rpc::toKjException(e.code(), e.what()));
  } catch (const std::exception& e) {
    pipe_.fail(TENON_INTERNAL, e.what());
    resultFulfiller_->reject(rpc::toKjException(TENON_INTERNAL, e.what()));
  }
  progress_.close();
}

kj::Promise<void> ExportSession::pump() {
  return pipe_.whenReadable().then([this]() -> kj::Promise<void> {
    std::vector<std::uint8_t> chunk = pipe_.take(kChunk);
    if (chunk.empty()) {
      if (pipe_.atEnd()) return sink_.doneRequest().send().ignoreResult();
      return pump();
    }
    auto request = sink_.writeRequest();
    request.setData(kj::arrayPtr(chunk.data(), chunk.size()));
    // A streaming call: resolves when flow control has room for the next one.
    return request.send().then([this] { return pump(); });
  });
}

kj::Promise<void> ExportSession::done() {
  KJ_IF_MAYBE(result, result_) {
    kj::Promise<void> finished = kj::mv(*result);
    result_ = nullptr;
    return pump()
        .catch_([this](kj::Exception&& e) -> kj::Promise<void> {
          // The client stopped reading, or the export failed (then this is its error).
          pipe_.fail(TENON_CANCELLED, "the client stopped reading the export");
          return kj::mv(e);
        })
        .then([finished = kj::mv(finished)]() mutable { return kj::mv(finished); })
        .then([this] { return progress_.drained(); });
  }
  return rpc::toKjException(TENON_FAILED_PRECONDITION, "done() was called already");
}

}  // namespace tenon::transfer
