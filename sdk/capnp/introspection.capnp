# The Introspection service: which plugins the daemon has and how they fared.
@0x8987a4d61df3e969;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Introspection {
  plugins @0 (ctx :Common.Context) -> (plugins :List(PluginInfo));
  # Every plugin the daemon found or was configured with, in load order.

  server @1 (ctx :Common.Context) -> (info :ServerInfo);
  # Facts about the running daemon.
}

struct PluginInfo {
  type @0 :Text;              # "runtime", "snapshotter", "content", "metrics", or "unknown"
  id @1 :Text;                # unique within its type
  path @2 :Text;              # the shared object it was loaded from
  requirements @3 :List(Text); # "<type>.<id>" or "<type>.*"
  state @4 :PluginState;
  error @5 :Text;             # why it failed; empty unless state is failed
  version @6 :Text;           # the plugin's own version, if it gives one
  services @7 :List(Text);    # "<type>/<name>" of each service it registered
}

enum PluginState {
  loaded @0;   # init succeeded; its services are registered
  failed @1;   # it could not be loaded or initialised; see error
  disabled @2; # skipped by `enabled = false` in the config
}

struct ServerInfo {
  pid @0 :UInt32;
  root @1 :Text;
  state @2 :Text;
  address @3 :Text;
  startedAt @4 :Int64; # nanoseconds since the Unix epoch
  warnings @5 :List(Text);
  # What the daemon runs without, and why (a damaged metadata store, no content plugin...).
}
