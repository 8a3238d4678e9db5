// The daemon's side of one Transfer.push call: the push runs on a thread of
// its own (registry calls block for as long as the uploads take, which must
// not hold a worker of the pool), its progress streams to the client's sink,
// credentials are asked of the client's capability when a registry wants
// them, and the call resolves with the digest pushed once every event was
// sent. cancel() (the client went away) stops the push; the session must then
// live on until ended() (transfer/session_keeper.hpp), since its thread may be
// waiting on the loop for credentials.
#pragma once

#include <kj/async.h>

#include <string>
#include <thread>
#include <vector>

#include "content/content_store.hpp"
#include "metadata/metadata_store.hpp"
#include "transfer.capnp.h"
#include "transfer/credential_bridge.hpp"
#include "transfer/progress_channel.hpp"
#include "transfer/session_thread.hpp"
#include "transfer/registry_access.hpp"

namespace tenon::push {

struct PushRequest {
  std::string ns;
  std::string reference;  // where to: name[:tag][@digest]
  std::string local;      // the image record to push; "" is `reference`
  transfer::RegistryRequest registry;
  std::vector<std::string> platforms;  // "os/arch[/variant]"; none: the whole image
};

class PushSession {
 public:
  // Starts the thread. Create on the event loop's thread.
  PushSession(content::ContentStore& content, metadata::MetadataStore& metadata, const transfer::RegistryAccess& access,
              PushRequest request, rpc::Credentials::Client credentials, rpc::ProgressSink::Client progress);
  PushSession(const PushSession&) = delete;
  PushSession& operator=(const PushSession&) = delete;

  // The digest pushed, once every progress event was sent.
  kj::Promise<std::string> result() { return thread_.result(); }
  // Any thread: asks the push to stop.
  void cancel() { thread_.cancel(); }
  // Resolves once the thread is done: destroying the session then does not block.
  kj::Promise<void> ended() { return thread_.ended(); }

 private:
  std::string run(std::stop_token stop);

  content::ContentStore& content_;
  metadata::MetadataStore& metadata_;
  const transfer::RegistryAccess& access_;
  PushRequest request_;
  transfer::CredentialBridge credentials_;
  transfer::ProgressChannel progress_;
  transfer::SessionThread<std::string> thread_;  // last: stopped and joined before the rest goes
};

}  // namespace tenon::push
