# The bootstrap interface of tenond's socket: one getter per service.
# Methods are only ever appended, never renumbered.
@0xe0846cc615bdad63;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Version = import "version.capnp".Version;
using Introspection = import "introspection.capnp".Introspection;

interface Tenon {
  version @0 () -> (service :Version);
  introspection @1 () -> (service :Introspection);
}
