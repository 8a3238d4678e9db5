#include "transfer/unpack_session.hpp"

#include <tenon/error.hpp>

#include "metadata/images.hpp"
#include "rpc/rpc_errors.hpp"
#include "transfer/unpack_events.hpp"

namespace tenon::transfer {

UnpackSession::UnpackSession(metadata::MetadataStore& metadata, unpack::ImageUnpacker& unpacker,
                             unpack::UnpackRequest request, rpc::ProgressSink::Client progress,
                             std::function<void()> afterUnpack)
    : metadata_(metadata),
      unpacker_(unpacker),
      request_(std::move(request)),
      afterUnpack_(std::move(afterUnpack)),
      progress_(kj::mv(progress)) {
  auto paf = kj::newPromiseAndCrossThreadFulfiller<unpack::UnpackResult>();
  result_ = kj::mv(paf.promise);
  resultFulfiller_ = kj::mv(paf.fulfiller);
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

UnpackSession::~UnpackSession() {
  thread_.request_stop();
  thread_.join();
}

void UnpackSession::run(std::stop_token stop) {
  try {
    request_.target = metadata_.view(
        [&](const metadata::ReadTx& tx) { return metadata::images::get(tx, request_.ns, request_.image).target; });
    unpack::UnpackResult result = unpacker_.unpack(request_, unpackEvents(progress_, request_.image), stop);
    resultFulfiller_->fulfill(kj::mv(result));
  } catch (const Error& e) {
    resultFulfiller_->reject(rpc::toKjException(e.code(), e.what()));
  } catch (const std::exception& e) {
    resultFulfiller_->reject(rpc::toKjException(TENON_INTERNAL, e.what()));
  }
  progress_.close();
  if (afterUnpack_) afterUnpack_();
}

kj::Promise<unpack::UnpackResult> UnpackSession::result() {
  KJ_IF_MAYBE(result, result_) {
    kj::Promise<unpack::UnpackResult> unpacked = kj::mv(*result);
    result_ = nullptr;
    return unpacked.then([this](unpack::UnpackResult done) {
      return progress_.drained().then([done = std::move(done)]() mutable { return std::move(done); });
    });
  }
  return rpc::toKjException(TENON_FAILED_PRECONDITION, "result() was called already");
}

}  // namespace tenon::transfer
