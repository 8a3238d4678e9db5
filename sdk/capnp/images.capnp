# The Images service: image records, a name (a reference such as
# "docker.io/library/busybox:latest") pointing at a target descriptor (an
# index or a manifest) in the content store. Records are per namespace.
# Creating or re-targeting an image labels the content records of its index,
# manifests, configs and layers (tenon.io/gc.ref.content.*), so that garbage
# collection keeps everything the image reaches, and nothing more.
@0xc9dc9aa9f039c070;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Images {
  get @0 (ctx :Common.Context, name :Text) -> (image :Image);
  # not_found unless the namespace has an image of that name.

  list @1 (ctx :Common.Context, filters :List(Text)) -> (images :List(Image));
  # The namespace's images by name; a filter names `name`, `labels."key"`,
  # `target.digest` or `target.mediatype` (containerd's syntax: name==x,
  # labels."k"==v, target.digest~=^sha256:ab); an image matching any filter is
  # listed, all when none is given.

  create @2 (ctx :Common.Context, image :Image) -> (image :Image);
  # Records `image` (timestamps are set by the daemon); already_exists if the
  # name is taken.

  update @3 (ctx :Common.Context, image :Image, fields :List(Text)) -> (image :Image);
  # Changes the image named image.name: `fields` lists what to take from
  # `image`: "target", "labels" (all of them) or "labels.<key>" (that one label,
  # removed when `image` lacks it). Empty means "target" and "labels".

  delete @4 (ctx :Common.Context, name :Text) -> ();
  # Removes the record; what only it kept is collected soon after.
}

struct Descriptor {
  # An OCI content descriptor.
  mediaType @0 :Text;
  digest @1 :Text;                     # "sha256:<64 hex digits>"
  size @2 :Int64;                      # bytes
  annotations @3 :List(Common.Label);
}

struct Image {
  name @0 :Text;
  target @1 :Descriptor;               # an index or a manifest
  labels @2 :List(Common.Label);
  createdAt @3 :Int64;                 # nanoseconds since the Unix epoch
  updatedAt @4 :Int64;
}
