#include "rpc/rpc_server.hpp"

#include <capnp/rpc-twoparty.h>
#include <kj/async-unix.h>
#include <signal.h>

namespace tenon::rpc {

kj::Promise<void> TenonService::version(VersionContext context) {
  context.getResults().setService(services_.version);
  return kj::READY_NOW;
}

kj::Promise<void> TenonService::introspection(IntrospectionContext context) {
  context.getResults().setService(services_.introspection);
  return kj::READY_NOW;
}

kj::Promise<void> TenonService::namespaces(NamespacesContext context) {
  context.getResults().setService(services_.namespaces);
  return kj::READY_NOW;
}

kj::Promise<void> TenonService::content(ContentContext context) {
  context.getResults().setService(services_.content);
  return kj::READY_NOW;
}

kj::Promise<void> TenonService::leases(LeasesContext context) {
  context.getResults().setService(services_.leases);
  return kj::READY_NOW;
}

kj::Promise<void> TenonService::gc(GcContext context) {
  context.getResults().setService(services_.gc);
  return kj::READY_NOW;
}

int serveUntilSignal(kj::AsyncIoContext& io, int listenFd, capnp::Capability::Client bootstrap,
                     const std::function<void()>& onServing) {
  capnp::TwoPartyServer server(kj::mv(bootstrap));
  auto listener = io.lowLevelProvider->wrapListenSocketFd(
      listenFd, kj::LowLevelAsyncIoProvider::TAKE_OWNERSHIP | kj::LowLevelAsyncIoProvider::ALREADY_CLOEXEC);
  auto accepting = server.listen(*listener).then([]() -> int { return 0; });
  onServing();
  auto onSignal = [](siginfo_t info) { return info.si_signo; };
  auto stop = io.unixEventPort.onSignal(SIGTERM)
                  .then(onSignal)
                  .exclusiveJoin(io.unixEventPort.onSignal(SIGINT).then(onSignal));
  return stop.exclusiveJoin(kj::mv(accepting)).wait(io.waitScope);
}

}  // namespace tenon::rpc
