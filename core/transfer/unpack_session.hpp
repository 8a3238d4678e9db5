// The daemon's side of one Transfer.unpack call: the unpack runs on a thread
// of its own (it blocks on the disk for as long as the layers take, which
// must not hold a worker of the pool), its progress streams to the client's
// sink, and the call resolves with the top chain ID once every event was
// sent. Dropping the session (the client went away) cancels the unpack,
// which removes the layer in progress, and waits for it.
#pragma once

#include <kj/async.h>

#include <functional>
#include <string>

#include "metadata/metadata_store.hpp"
#include "transfer.capnp.h"
#include "transfer/progress_channel.hpp"
#include "transfer/session_thread.hpp"
#include "unpack/image_unpacker.hpp"

namespace tenon::transfer {

class UnpackSession {
 public:
  // Starts the thread, which looks up the image record request.image (its
  // target is filled in there) and unpacks it. Create on the event loop's
  // thread. `afterUnpack` runs on the unpack's thread when it ends either
  // way: it schedules GC.
  UnpackSession(metadata::MetadataStore& metadata, unpack::ImageUnpacker& unpacker, unpack::UnpackRequest request,
                rpc::ProgressSink::Client progress, std::function<void()> afterUnpack);
  UnpackSession(const UnpackSession&) = delete;
  UnpackSession& operator=(const UnpackSession&) = delete;

  // The result (top chain ID and config), once unpacked and every progress event was sent.
  kj::Promise<unpack::UnpackResult> result();

 private:
  unpack::UnpackResult run(std::stop_token stop);

  metadata::MetadataStore& metadata_;
  unpack::ImageUnpacker& unpacker_;
  unpack::UnpackRequest request_;
  std::function<void()> afterUnpack_;
  ProgressChannel progress_;
  SessionThread<unpack::UnpackResult> thread_;  // last: stopped and joined before the rest goes
};

}  // namespace tenon::transfer
