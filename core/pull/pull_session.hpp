// The daemon's side of one Transfer.pull call: the Puller runs on a thread of
// its own, its progress streams to the client's sink, registry credentials
// are asked of the client's Credentials capability (credential_bridge.hpp),
// and the call resolves with the image once every progress event was sent.
// cancel() (the client went away) stops the pull — registry calls,
// downloads and the unpack; the session must then live on until ended()
// (transfer/session_keeper.hpp), since its thread may be waiting on the loop.
#pragma once

#include <kj/async.h>

#include <functional>

#include "pull/puller.hpp"
#include "transfer.capnp.h"
#include "transfer/credential_bridge.hpp"
#include "transfer/progress_channel.hpp"
#include "transfer/session_thread.hpp"

namespace tenon::pull {

class PullSession {
 public:
  // Starts the thread. Create on the event loop's thread. `afterPull` runs
  // on the pull's thread when it ends either way: it schedules GC.
  PullSession(PullStores stores, PullRequest request, rpc::Credentials::Client credentials,
              rpc::ProgressSink::Client progress, std::function<void()> afterPull);
  PullSession(const PullSession&) = delete;
  PullSession& operator=(const PullSession&) = delete;

  // The image recorded, once every progress event was sent.
  kj::Promise<PulledImage> result();
  // Any thread: asks the pull to stop.
  void cancel() { thread_.cancel(); }
  // Resolves once the thread is done: destroying the session then does not block.
  kj::Promise<void> ended() { return thread_.ended(); }

 private:

  PullStores stores_;
  PullRequest request_;
  std::function<void()> afterPull_;
  transfer::CredentialBridge credentials_;
  transfer::ProgressChannel progress_;
  transfer::SessionThread<PulledImage> thread_;  // last: stopped and joined before the rest goes
};

}  // namespace tenon::pull
