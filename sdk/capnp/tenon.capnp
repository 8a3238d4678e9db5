# The bootstrap interface of tenond's socket: one getter per service.
# Methods are only ever appended, never renumbered.
@0xe0846cc615bdad63;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Version = import "version.capnp".Version;
using Introspection = import "introspection.capnp".Introspection;
using Namespaces = import "namespaces.capnp".Namespaces;
using Content = import "content.capnp".Content;
using Leases = import "leases.capnp".Leases;
using Gc = import "gc.capnp".Gc;
using Images = import "images.capnp".Images;
using Transfer = import "transfer.capnp".Transfer;
using Snapshots = import "snapshots.capnp".Snapshots;
using Containers = import "containers.capnp".Containers;
using Tasks = import "tasks.capnp".Tasks;
using Events = import "events.capnp".Events;

interface Tenon {
  version @0 () -> (service :Version);
  introspection @1 () -> (service :Introspection);
  namespaces @2 () -> (service :Namespaces);
  content @3 () -> (service :Content);
  leases @4 () -> (service :Leases);
  gc @5 () -> (service :Gc);
  images @6 () -> (service :Images);
  transfer @7 () -> (service :Transfer);
  snapshots @8 (name :Text) -> (service :Snapshots);
  # The Snapshots service of the snapshotter `name` ("" = "overlayfs"); not_found lists the loaded ones.
  containers @9 () -> (service :Containers);
  tasks @10 () -> (service :Tasks);
  events @11 () -> (service :Events);
}
