# The Gc service: garbage collection on demand (it also runs after deletions
# and on a timer).
@0xadc061ddb0a86b62;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Gc {
  collect @0 (ctx :Common.Context, dryRun :Bool) -> (report :GcReport);
  # Collects every namespace now; with dryRun, only reports what would go.
}

struct GcReport {
  dryRun @0 :Bool;
  removed @1 :List(Text);
  # One line per item: "lease <ns>/<id>", "content <ns> <digest>",
  # "snapshot <ns> <snapshotter> <key>" (children before parents), "blob <digest>".
  errors @2 :List(Text);   # what could not be removed, or why nothing was
}
