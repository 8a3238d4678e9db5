# The Snapshots service of one snapshotter (see Tenon.snapshots): layered
# filesystems that containers and image unpacking mount. Keys are the
# namespace's own: two namespaces may use the same key without seeing each
# other's snapshot. Methods are only ever appended, never renumbered.
@0xe0c7643a16fe00c7;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Snapshots {
  prepare @0 (ctx :Common.Context, key :Text, parent :Text, labels :List(Common.Label)) -> (mounts :List(Common.Mount));
  # Creates the active (writable) snapshot `key` on the committed `parent` ("" for none).
  # Errors: already_exists (key taken), not_found (parent).

  view @1 (ctx :Common.Context, key :Text, parent :Text, labels :List(Common.Label)) -> (mounts :List(Common.Mount));
  # Creates the read-only view `key` of the committed `parent`.

  mounts @2 (ctx :Common.Context, key :Text) -> (mounts :List(Common.Mount));
  # The mounts of an active snapshot or view; not_found for an unknown key.

  commit @3 (ctx :Common.Context, name :Text, key :Text, labels :List(Common.Label)) -> ();
  # Turns the active `key` into the committed `name`; failed_precondition when `key` is not active.

  remove @4 (ctx :Common.Context, key :Text) -> ();
  # failed_precondition while the snapshot has children.

  stat @5 (ctx :Common.Context, key :Text) -> (info :Info);

  update @6 (ctx :Common.Context, key :Text, labels :List(Common.Label)) -> (info :Info);
  # Replaces the labels.

  usage @7 (ctx :Common.Context, key :Text) -> (usage :Usage);

  list @8 (ctx :Common.Context, filters :List(Text)) -> (infos :List(Info));
  # The namespace's snapshots of this snapshotter, in key order.
}

enum Kind {
  unknown @0;
  view @1;
  active @2;
  committed @3;
}

struct Info {
  name @0 :Text;    # the namespace's key
  parent @1 :Text;  # the parent's key, "" for none
  kind @2 :Kind;
  labels @3 :List(Common.Label);
  createdAt @4 :Int64;  # nanoseconds since the Unix epoch
  updatedAt @5 :Int64;
}

struct Usage {
  size @0 :Int64;    # bytes
  inodes @1 :Int64;
}
