# The Containers service: container records, per namespace. A container is
# metadata only (what to run: image, OCI spec, runtime, root filesystem
# snapshot); its running instance is a task (see tasks.capnp). Changes are
# published as /containers/create, /containers/update, /containers/delete.
# Methods are only ever appended, never renumbered.
@0xbf8af58818d0aa90;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Containers {
  get @0 (ctx :Common.Context, id :Text) -> (container :Container);
  # not_found unless ctx's namespace has a container of that id.

  list @1 (ctx :Common.Context, filters :List(Text)) -> (containers :List(Container));
  # The namespace's containers by id; filters name id, image, runtime.name,
  # snapshotter, snapshotKey or labels."key" (any matching filter lists it).

  create @2 (ctx :Common.Context, container :Container) -> (container :Container);
  # Records `container` (timestamps set by the daemon). Errors: already_exists
  # when the id is taken; invalid_argument for an id outside
  # [A-Za-z0-9][A-Za-z0-9_.-]* (at most 76 bytes), a spec that is not a JSON
  # object, or an unknown runtime.

  update @3 (ctx :Common.Context, container :Container, fields :List(Text)) -> (container :Container);
  # Changes the container container.id: `fields` lists what to take from
  # `container`: "image", "spec", "snapshotKey", "runtime.options", "labels"
  # or "labels.<key>". Empty means image, spec, snapshotKey and labels.

  delete @4 (ctx :Common.Context, id :Text) -> ();
  # Removes the record; failed_precondition while it has a task. Its snapshot
  # is left to the caller (ctr removes it) or to garbage collection.
}

struct Runtime {
  name @0 :Text;     # a runtime plugin's name, e.g. "runc"; empty means the daemon's default
  options @1 :Text;  # runtime-specific options as JSON, or empty
}

struct Container {
  id @0 :Text;
  image @1 :Text;        # the image name it was made from, or empty
  runtime @2 :Runtime;
  spec @3 :Text;         # the OCI runtime spec (config.json), as JSON
  snapshotter @4 :Text;  # the snapshotter of snapshotKey
  snapshotKey @5 :Text;  # the active snapshot that is its root filesystem, or empty
  labels @6 :List(Common.Label);
  createdAt @7 :Int64;   # nanoseconds since the Unix epoch
  updatedAt @8 :Int64;
}
