# The Events service: what happens in the daemon (images, containers,
# snapshots, tasks...) as a stream of envelopes, like containerd's events.
# Topics are paths such as "/tasks/exit" or "/images/create"; the payload is a
# JSON object whose fields are containerd's (container_id, exit_status...).
# Methods are only ever appended, never renumbered.
@0xa45f0f5fb50307a9;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Events {
  publish @0 (ctx :Common.Context, topic :Text, payload :Text) -> ();
  # Publishes an event in ctx's namespace. `topic` must start with "/";
  # `payload` is a JSON object (or empty for {}).

  subscribe @1 (filters :List(Text), sink :EventSink) -> ();
  # Sends every event published from now on that matches any of `filters`
  # (all when none is given) to `sink`, in publish order, across all
  # namespaces: filter on `namespace` to see one. Fields a filter may name:
  # namespace, topic, and event.<payload field> (containerd's filter syntax:
  # topic=="/tasks/exit", namespace==default, topic~="^/images/").
  # Never returns while the daemon runs: cancel the call to unsubscribe. A
  # subscriber that stops reading is dropped once its backlog exceeds a bound,
  # with an error naming how many events it missed.
}

interface EventSink {
  event @0 (envelope :Envelope) -> stream;
}

struct Envelope {
  timestamp @0 :Int64;   # nanoseconds since the Unix epoch, when it was published
  namespace @1 :Text;
  topic @2 :Text;
  payload @3 :Text;      # a JSON object
}
