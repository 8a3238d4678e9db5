// The RPC server: the bootstrap capability of tenond's socket, and the loop
// that serves it until the daemon is told to stop.
#pragma once

#include <capnp/capability.h>
#include <kj/async-io.h>

#include <functional>

#include "introspection.capnp.h"
#include "tenon.capnp.h"
#include "version.capnp.h"

namespace tenon::rpc {

// Hands out one capability per service; each is created once by main.
class TenonService final : public Tenon::Server {
 public:
  TenonService(Version::Client version, Introspection::Client introspection)
      : version_(kj::mv(version)), introspection_(kj::mv(introspection)) {}

 protected:
  kj::Promise<void> version(VersionContext context) override;
  kj::Promise<void> introspection(IntrospectionContext context) override;

 private:
  Version::Client version_;
  Introspection::Client introspection_;
};

// Serves `bootstrap` to every connection on the listening socket `listenFd`
// (taking ownership of it) until SIGTERM or SIGINT arrives, which must have
// been captured with kj::UnixEventPort::captureSignal. Calls `onServing` once
// connections are being accepted. Returns the signal that ended the loop.
int serveUntilSignal(kj::AsyncIoContext& io, int listenFd, capnp::Capability::Client bootstrap,
                     const std::function<void()>& onServing);

}  // namespace tenon::rpc
