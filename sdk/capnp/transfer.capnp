# The Transfer service: images in and out of the daemon as archives, streamed
# over RPC with progress. Import reads an OCI image layout as a tar (plain or
# gzip-compressed: what `skopeo copy ... oci-archive:` and umoci write) or a
# docker-archive (`docker save`); export writes an OCI image layout tar;
# unpack applies an image's layers into snapshots.
@0xb1334c6ed8d3df3c;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";
using Content = import "content.capnp";
using Images = import "images.capnp";

interface Transfer {
  import @0 (ctx :Common.Context, options :ImportOptions, progress :ProgressSink)
      -> (stream :ImportStream);
  # Starts an import into ctx's namespace: the client writes the archive's
  # bytes into `stream`, then calls finish(). Every blob is verified against
  # its digest as it is stored, and held by a lease of the import's own until
  # the image records exist (created, or re-targeted when the name is taken),
  # all in one transaction; a failed import leaves no image and its blobs are
  # collected. Events describe each blob and image as it goes.

  export @1 (ctx :Common.Context, names :List(Text), sink :Content.ByteSink, progress :ProgressSink) -> ();
  # Writes the images `names` of ctx's namespace as one OCI image layout tar
  # into `sink` (then calls its done()): oci-layout, index.json (one entry per
  # name, annotated with org.opencontainers.image.ref.name and
  # io.containerd.image.name) and every blob the images reach, all platforms.
  # Blobs the store lacks are left out and reported as "warning" events.

  unpack @2 (ctx :Common.Context, image :Text, snapshotter :Text = "overlayfs", platform :Text,
             progress :ProgressSink) -> (chainId :Text, config :Data);
  # Unpacks the image named `image` of ctx's namespace into committed
  # snapshots of `snapshotter` ("" is "overlayfs"), one per layer, keyed by
  # chain ID (OCI image spec: ChainID(L0) = DiffID(L0), ChainID(Ln) =
  # sha256(ChainID(Ln-1) + " " + DiffID(Ln))), and returns the top layer's
  # chain ID: the parent to prepare a container's snapshot on ("" for an image
  # without layers), and the bytes of the image config of the manifest it
  # unpacked (what a container's spec is built from: the same platform's).
  # For an index, the manifest of `platform`
  # ("os/arch[/variant]", matched strictly) or, when empty, of the daemon's
  # host (matched loosely). Layers whose snapshot exists are skipped, so an
  # unpacked image returns at once; each layer's uncompressed digest must
  # equal the config's diff_id, and a layer that would write outside its
  # snapshot (".." names, writes through symlinks, links out) is refused with
  # an error naming the entry, its snapshot removed. The image's config is
  # labelled tenon.io/gc.ref.snapshot.<snapshotter> = the top chain ID, so
  # that GC keeps the snapshots while the image exists. The snapshots are held
  # by ctx's lease when it names one, else by a lease of the unpack's own.
  # "unpack" events report each layer.

  pull @3 (ctx :Common.Context, options :PullOptions, credentials :Credentials, progress :ProgressSink)
      -> (image :Images.Image);
  # Pulls options.reference from its registry into ctx's namespace, in the
  # daemon: no blob crosses this socket. Resolves the reference (tag or
  # digest) on the registry's hosts (hosts.toml mirrors first, then the
  # server), fetches the index or manifest, picks the platform(s), and fetches
  # configs and layers in parallel, each verified by size and digest as it
  # streams in and resumed from the ingest's offset when an earlier pull was
  # cut off. Layers are unpacked (unless noUnpack) while later ones still
  # download. Everything is held by a lease of the pull's own (or ctx's lease)
  # until the image record exists; a failed pull records nothing. Credentials
  # are asked of `credentials` for the host that asks for them (a 401), never
  # sent anywhere else. Progress: "resolve", "blob", "unpack", "image",
  # "warning" events.

  push @4 (ctx :Common.Context, options :PushOptions, credentials :Credentials, progress :ProgressSink)
      -> (digest :Text);
  # Pushes the image options.local (or options.reference when local is "")
  # of ctx's namespace to options.reference: blobs the registry has are
  # skipped (HEAD), blobs pulled from another repository of that registry are
  # mounted, the rest uploaded; then manifests, then the index, by digest, and
  # the root by the reference's tag. Returns the digest pushed. "blob" events
  # for each blob ("exists", "mounted" or bytes sent), "image" at the end.
}

struct RegistryOptions {
  plainHttp @0 :Bool;    # http:// for hosts without a hosts.toml saying otherwise
  skipVerify @1 :Bool;   # do not verify TLS certificates
  hostsDir @2 :Text;     # "" for the daemon's [registry] config_path
}

struct PullOptions {
  reference @0 :Text;    # name[:tag][@digest], normalised as Docker does
  registry @1 :RegistryOptions;
  platforms @2 :List(Text);  # "os/arch[/variant]", matched strictly; none: the host's, loosely
  allPlatforms @3 :Bool;     # every manifest of an index (only the host's is unpacked)
  noUnpack @4 :Bool;
  snapshotter @5 :Text = "overlayfs";
  allowForeignUrls @6 :Bool; # layers may be fetched from their descriptors' `urls` (without credentials)
  maxConcurrentDownloads @7 :UInt32;  # 0: the daemon's [registry] max_concurrent_downloads
}

struct PushOptions {
  reference @0 :Text;    # where to: name[:tag][@digest]
  local @1 :Text;        # the image to push; "" is `reference` itself
  registry @2 :RegistryOptions;
  platforms @3 :List(Text);  # push only these platforms' manifests (then that manifest is the root)
}

interface Credentials {
  # Asked by the daemon when `host` ("registry.example:5000", or a token
  # realm's host) answers 401: found is false for anonymous access. A username
  # of "" with a secret is an identity (refresh) token.
  get @0 (host :Text) -> (found :Bool, username :Text, secret :Text);
}

struct ImportOptions {
  name @0 :Text;
  # The image's name, for an archive holding one image: replaces the names the
  # archive gives. Needed when the archive names none (or only a bare tag).

  allPlatforms @1 :Bool;
  # Every platform's blobs must be in the archive. By default only the host's
  # platform must be complete; blobs of other platforms may be missing (each
  # one is reported as a "warning" event).

  indexName @2 :Text;
  # When set, an OCI archive's index.json is also stored and recorded as an
  # image of this name (containerd's --index-name).

  noUnpack @3 :Bool;
  # By default the images recorded are unpacked (see Transfer.unpack) for the
  # host's platform, within the import: a layer refused fails the import. An
  # image without a manifest for the host is left packed (a "warning" event);
  # a daemon with no snapshotter loaded at all only warns. With noUnpack the
  # import stores blobs and records images only, like `ctr images import
  # --no-unpack`.

  snapshotter @4 :Text = "overlayfs";
  # The snapshotter to unpack into.
}

interface ImportStream {
  write @0 (data :Data) -> stream;
  # The archive's next bytes. Fails, with the import's error, once the import
  # has failed.

  finish @1 () -> (images :List(Images.Image));
  # The archive has ended: completes the import and returns the images recorded.
}

interface ProgressSink {
  update @0 (event :ProgressEvent) -> stream;
}

struct ProgressEvent {
  kind @0 :Text;
  # "resolve" (a pull's reference resolved: ref the reference, digest the
  # target's), "blob" (a blob stored, fetched or sent: ref its role
  # "index"/"manifest"/"config"/"layer", message "exists", "mounted",
  # "resuming at N bytes", "retrying: why" when it applies), "manifest" (a manifest made for a
  # docker-archive image), "image" (an image recorded or exported),
  # "warning" (see message), "unpack" (a layer applied into its snapshot:
  # ref is the layer's digest, digest its chain ID, bytes/total the
  # compressed bytes read, message "already unpacked" when its snapshot was
  # there; the last "unpack" event of an image has the image's name as ref
  # and its top chain ID as digest).

  ref @1 :Text;     # the archive entry, the image name, or a layer's digest
  digest @2 :Text;  # "sha256:..." when known
  bytes @3 :Int64;  # done so far
  total @4 :Int64;  # -1 when unknown
  done @5 :Bool;    # the last event about this ref
  message @6 :Text; # for warnings: what happened
}
