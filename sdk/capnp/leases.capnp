# The Leases service: a client holds a lease while it builds something (an
# import, a pull) so that garbage collection leaves what the lease names alone
# until the lease is deleted or expires.
@0x97dcad7cdd9dc776;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Leases {
  create @0 (ctx :Common.Context, id :Text, labels :List(Common.Label), expiresAt :Int64) -> (lease :Lease);
  # Creates a lease in ctx's namespace; an empty id gets a generated one; expiresAt 0 = never.

  list @1 (ctx :Common.Context, filters :List(Text)) -> (leases :List(Lease));

  delete @2 (ctx :Common.Context, id :Text) -> ();
  # Deletes the lease; what only it held is collected soon after.

  addResource @3 (ctx :Common.Context, id :Text, resource :Resource) -> ();
  # Makes the lease hold a resource (idempotent); it need not exist yet. A
  # snapshot is held with its parents. Requests that create content or
  # snapshots with ctx.lease set add them themselves.

  deleteResource @4 (ctx :Common.Context, id :Text, resource :Resource) -> ();
  # Lets go of a resource; what only the lease held is collected soon after.

  listResources @5 (ctx :Common.Context, id :Text) -> (resources :List(Resource));
  # What the lease holds, grouped by type.
}

struct Lease {
  id @0 :Text;
  labels @1 :List(Common.Label);
  createdAt @2 :Int64;  # nanoseconds since the Unix epoch
  expiresAt @3 :Int64;  # 0 = never
}

struct Resource {
  type @0 :Text;  # "content", "ingests" or "snapshots/<snapshotter>"
  key @1 :Text;   # a digest, an ingest ref or a snapshot key
}
