#include "transfer/unpack_session.hpp"

#include "metadata/images.hpp"
#include "transfer/unpack_events.hpp"

namespace tenon::transfer {

UnpackSession::UnpackSession(metadata::MetadataStore& metadata, unpack::ImageUnpacker& unpacker,
                             unpack::UnpackRequest request, rpc::ProgressSink::Client progress,
                             std::function<void()> afterUnpack)
    : metadata_(metadata),
      unpacker_(unpacker),
      request_(std::move(request)),
      afterUnpack_(std::move(afterUnpack)),
      progress_(kj::mv(progress)),
      thread_(progress_) {
  thread_.start([this](std::stop_token stop) { return run(std::move(stop)); }, afterUnpack_);
}

unpack::UnpackResult UnpackSession::run(std::stop_token stop) {
  request_.target = metadata_.view(
      [&](const metadata::ReadTx& tx) { return metadata::images::get(tx, request_.ns, request_.image).target; });
  return unpacker_.unpack(request_, unpackEvents(progress_, request_.image), stop);
}

kj::Promise<unpack::UnpackResult> UnpackSession::result() { return thread_.result(); }

}  // namespace tenon::transfer
