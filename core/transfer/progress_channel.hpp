// Progress events from an import's or export's worker thread to the client's
// ProgressSink. The thread never waits for the client: events queue here and
// a pump on the event loop sends them one streaming call at a time. A
// not-yet-sent update about a blob (same kind, ref and digest, no message)
// is replaced by a newer one, so a slow client sees fewer updates rather
// than a growing queue. Progress is
// best effort: a sink that fails stops the events, not the transfer.
#pragma once

#include <kj/async.h>

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "transfer.capnp.h"

namespace tenon::transfer {

struct ProgressEvent {
  std::string kind;  // "blob", "manifest", "image", "warning"
  std::string ref;
  std::string digest;
  std::int64_t bytes = 0;
  std::int64_t total = -1;
  bool done = false;
  std::string message;
};

class ProgressChannel {
 public:
  // Create on the event loop's thread; the pump starts at once.
  explicit ProgressChannel(rpc::ProgressSink::Client sink);
  ProgressChannel(const ProgressChannel&) = delete;
  ProgressChannel& operator=(const ProgressChannel&) = delete;

  // Any thread; never blocks.
  void send(ProgressEvent event);
  void warn(const std::string& message) { send({"warning", "", "", 0, -1, true, message}); }
  // Any thread: no more events will come.
  void close();
  // Loop side: resolves once closed and every queued event was sent (or the sink failed).
  kj::Promise<void> drained() { return pumping_.addBranch(); }

 private:
  kj::Promise<void> pump();
  kj::Promise<void> nextEvent();  // resolves when an event or the close is queued

  rpc::ProgressSink::Client sink_;
  std::mutex mutex_;
  std::deque<ProgressEvent> queue_;
  bool closed_ = false;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> waiter_;
  kj::ForkedPromise<void> pumping_;
};

}  // namespace tenon::transfer
