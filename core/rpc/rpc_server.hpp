// The RPC server: the bootstrap capability of tenond's socket, and the loop
// that serves it until the daemon is told to stop.
#pragma once

#include <capnp/capability.h>
#include <kj/async-io.h>

#include <functional>
#include <map>
#include <string>

#include "containers.capnp.h"
#include "content.capnp.h"
#include "events.capnp.h"
#include "gc.capnp.h"
#include "images.capnp.h"
#include "introspection.capnp.h"
#include "leases.capnp.h"
#include "namespaces.capnp.h"
#include "snapshots.capnp.h"
#include "tasks.capnp.h"
#include "tenon.capnp.h"
#include "transfer.capnp.h"
#include "version.capnp.h"

namespace tenon::rpc {

// One capability per service, each created once by main.
struct Services {
  Version::Client version;
  Introspection::Client introspection;
  Namespaces::Client namespaces;
  Content::Client content;
  Leases::Client leases;
  Gc::Client gc;
  Images::Client images;
  Transfer::Client transfer;
  Containers::Client containers;
  Tasks::Client tasks;
  Events::Client events;
  // One Snapshots service per loaded snapshotter, by its name.
  std::map<std::string, Snapshots::Client> snapshots;
};

// The bootstrap interface: hands out the services.
class TenonService final : public Tenon::Server {
 public:
  explicit TenonService(Services services) : services_(kj::mv(services)) {}

 protected:
  kj::Promise<void> version(VersionContext context) override;
  kj::Promise<void> introspection(IntrospectionContext context) override;
  kj::Promise<void> namespaces(NamespacesContext context) override;
  kj::Promise<void> content(ContentContext context) override;
  kj::Promise<void> leases(LeasesContext context) override;
  kj::Promise<void> gc(GcContext context) override;
  kj::Promise<void> images(ImagesContext context) override;
  kj::Promise<void> transfer(TransferContext context) override;
  kj::Promise<void> snapshots(SnapshotsContext context) override;
  kj::Promise<void> containers(ContainersContext context) override;
  kj::Promise<void> tasks(TasksContext context) override;
  kj::Promise<void> events(EventsContext context) override;

 private:
  Services services_;
};

// Serves `bootstrap` to every connection on the listening socket `listenFd`
// (taking ownership of it) until SIGTERM or SIGINT arrives, which must have
// been captured with kj::UnixEventPort::captureSignal. Calls `onServing` once
// connections are being accepted. Returns the signal that ended the loop.
int serveUntilSignal(kj::AsyncIoContext& io, int listenFd, capnp::Capability::Client bootstrap,
                     const std::function<void()>& onServing);

}  // namespace tenon::rpc
