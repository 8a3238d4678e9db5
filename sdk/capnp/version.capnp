# The Version service: what daemon answers.
@0xd010cda64987ac7b;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Version {
  get @0 (ctx :Common.Context) -> (info :VersionInfo);
  # The daemon's version.
}

struct VersionInfo {
  version @0 :Text;     # release version, e.g. "0.1.0"
  revision @1 :Text;    # source revision it was built from
  abiVersion @2 :UInt32; # the plugin C ABI version the daemon loads
}
