#include "rpc/rpc_server.hpp"

#include "rpc/rpc_errors.hpp"

#include <capnp/rpc-twoparty.h>
#include <kj/async-unix.h>
#include <signal.h>
#include <sys/socket.h>

namespace tenon::rpc {

namespace {

// Every getter but snapshots hands out the one capability main made.
template <class Context, class Client>
kj::Promise<void> handOut(Context& context, Client& service) {
  context.getResults().setService(service);
  return kj::READY_NOW;
}

}  // namespace

kj::Promise<void> TenonService::version(VersionContext context) { return handOut(context, services_.version); }
kj::Promise<void> TenonService::introspection(IntrospectionContext context) { return handOut(context, services_.introspection); }
kj::Promise<void> TenonService::namespaces(NamespacesContext context) { return handOut(context, services_.namespaces); }
kj::Promise<void> TenonService::content(ContentContext context) { return handOut(context, services_.content); }
kj::Promise<void> TenonService::leases(LeasesContext context) { return handOut(context, services_.leases); }
kj::Promise<void> TenonService::gc(GcContext context) { return handOut(context, services_.gc); }
kj::Promise<void> TenonService::images(ImagesContext context) { return handOut(context, services_.images); }
kj::Promise<void> TenonService::transfer(TransferContext context) { return handOut(context, services_.transfer); }
kj::Promise<void> TenonService::containers(ContainersContext context) { return handOut(context, services_.containers); }
kj::Promise<void> TenonService::tasks(TasksContext context) { return handOut(context, services_.tasks); }
kj::Promise<void> TenonService::events(EventsContext context) { return handOut(context, services_.events); }

kj::Promise<void> TenonService::snapshots(SnapshotsContext context) {
  return serve([&] {
    std::string name = context.getParams().getName();
    if (name.empty()) name = "overlayfs";
    auto found = services_.snapshots.find(name);
    if (found == services_.snapshots.end()) {
      std::string loaded;
      for (const auto& [known, _] : services_.snapshots) loaded += (loaded.empty() ? "" : ", ") + known;
      throw Error(TENON_NOT_FOUND, "snapshotter \"" + name + "\" not found; loaded: " +
                                       (loaded.empty() ? std::string("none") : loaded));
    }
    context.getResults().setService(found->second);
  });
}

namespace {

// Cap'n Proto lets as many streamed bytes be in flight as the sending socket's
// buffer holds; the default is smaller than one 1 MiB chunk of `content get`.
void widenSendWindow(kj::AsyncIoStream& stream) {
  KJ_IF_MAYBE(fd, stream.getFd()) {
    int size = 16 << 20;
    if (::setsockopt(*fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) != 0)
      ::setsockopt(*fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  }
}

kj::Promise<void> acceptLoop(kj::ConnectionReceiver& listener, capnp::TwoPartyServer& server) {
  return listener.accept().then([&listener, &server](kj::Own<kj::AsyncIoStream> stream) {
    widenSendWindow(*stream);
    server.accept(kj::mv(stream));
    return acceptLoop(listener, server);
  });
}

}  // namespace

int serveUntilSignal(kj::AsyncIoContext& io, int listenFd, capnp::Capability::Client bootstrap,
                     const std::function<void()>& onServing) {
  capnp::TwoPartyServer server(kj::mv(bootstrap));
  auto listener = io.lowLevelProvider->wrapListenSocketFd(
      listenFd, kj::LowLevelAsyncIoProvider::TAKE_OWNERSHIP | kj::LowLevelAsyncIoProvider::ALREADY_CLOEXEC);
  auto accepting = acceptLoop(*listener, server).then([]() -> int { return 0; });
  onServing();
  auto onSignal = [](siginfo_t info) { return info.si_signo; };
  auto stop = io.unixEventPort.onSignal(SIGTERM)
                  .then(onSignal)
                  .exclusiveJoin(io.unixEventPort.onSignal(SIGINT).then(onSignal));
  return stop.exclusiveJoin(kj::mv(accepting)).wait(io.waitScope);
}

}  // namespace tenon::rpc
