#include "transfer/import_session.hpp"

#include <tenon/error.hpp>

#include "rpc/rpc_errors.hpp"
#include "transfer/archive_import.hpp"

namespace tenon::transfer {

namespace {

// Enough to keep the import busy while the next writes travel; small enough
// that many imports at once stay cheap.
constexpr std::size_t kPipeCapacity = 4 << 20;

}  // namespace

ImportSession::ImportSession(TransferStores stores, std::string ns, ImportOptions options,
                             rpc::ProgressSink::Client progress)
    : stores_(std::move(stores)),
      ns_(std::move(ns)),
      options_(std::move(options)),
      pipe_(kPipeCapacity),
      progress_(kj::mv(progress)) {
  auto paf = kj::newPromiseAndCrossThreadFulfiller<std::vector<metadata::Image>>();
  result_ = kj::mv(paf.promise);
  resultFulfiller_ = kj::mv(paf.fulfiller);
  thread_ = std::thread([this] { run(); });
}

ImportSession::~ImportSession() {
  stop_.request_stop();
  pipe_.fail(TENON_CANCELLED, "the import was cancelled: the client went away before it finished");
  thread_.join();
}

void ImportSession::run() {
  try {
    ArchiveImport import(stores_.content, stores_.metadata, stores_.unpacker, ns_, options_, progress_,
                         stop_.get_token());
    std::vector<metadata::Image> images =
        import.run([this](void* buffer, std::size_t max) { return pipe_.read(buffer, max); });
    resultFulfiller_->fulfill(kj::mv(images));
  } catch (const Error& e) {
    pipe_.fail(e.code(), e.what());  // the client's next write fails with this
    resultFulfiller_->reject(rpc::toKjException(e.code(), e.what()));
  } catch (const std::exception& e) {
    pipe_.fail(TENON_INTERNAL, e.what());
    resultFulfiller_->reject(rpc::toKjException(TENON_INTERNAL, e.what()));
  }
  progress_.close();
  if (stores_.afterImport) stores_.afterImport();
}

kj::Promise<void> ImportSession::write(kj::ArrayPtr<const kj::byte> data) { return pipe_.writeAsync(data); }

kj::Promise<std::vector<metadata::Image>> ImportSession::finish() {
  KJ_IF_MAYBE(result, result_) {
    kj::Promise<std::vector<metadata::Image>> images = kj::mv(*result);
    result_ = nullptr;
    pipe_.close();
    return images.then([this](std::vector<metadata::Image> recorded) {
      return progress_.drained().then([recorded = std::move(recorded)]() mutable { return std::move(recorded); });
    });
  }
  return rpc::toKjException(TENON_FAILED_PRECONDITION, "finish() was called already");
}

}  // namespace tenon::transfer
