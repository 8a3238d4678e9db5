// The client's Credentials capability as a registry::CredentialLookup that a
// pull's or push's worker threads can call: each lookup hops onto the event
// loop's thread (the capability lives there), waits for the client's answer,
// and keeps it for the session, so that a client is asked once per host.
// A client that passed no capability, or whose call fails, means anonymous.
#pragma once

#include <kj/async.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "registry/credentials.hpp"
#include "transfer.capnp.h"

namespace tenon::transfer {

class CredentialBridge {
 public:
  // Create on the event loop's thread.
  explicit CredentialBridge(rpc::Credentials::Client client);
  CredentialBridge(const CredentialBridge&) = delete;
  CredentialBridge& operator=(const CredentialBridge&) = delete;

  // Any thread but the event loop's; the bridge must outlive the lookup.
  registry::CredentialLookup lookup();

 private:
  std::optional<registry::Credentials> ask(const std::string& host);

  rpc::Credentials::Client client_;
  const kj::Executor& loop_;
  std::mutex mutex_;
  std::map<std::string, std::optional<registry::Credentials>> answers_;
};

}  // namespace tenon::transfer
