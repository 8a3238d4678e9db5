# The Content service: blobs addressed by digest, shared by every namespace
# but listed only in the namespaces that committed them. Bytes stream in
# chunks both ways.
@0xb760270d70dea0d9;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Content {
  info @0 (ctx :Common.Context, digest :Text) -> (info :ContentInfo);
  # not_found unless the blob was committed in ctx's namespace.

  list @1 (ctx :Common.Context, filters :List(Text)) -> (infos :List(ContentInfo));
  # The namespace's blobs; a filter is `labels."key"==value` or `digest==sha256:...`,
  # and a blob is listed when it matches any of them (all when none is given).

  setLabels @2 (ctx :Common.Context, digest :Text, labels :List(Common.Label)) -> (info :ContentInfo);
  # Replaces the blob's labels in this namespace (gc.ref labels included).

  delete @3 (ctx :Common.Context, digest :Text) -> ();
  # Removes the blob from this namespace; the bytes go when no namespace holds them.

  read @4 (ctx :Common.Context, digest :Text, offset :Int64, length :Int64, sink :ByteSink) -> ();
  # Streams bytes [offset, offset+length) (length 0: to the end) into `sink`, then calls done().

  openWriter @5 (ctx :Common.Context, ref :Text, total :Int64, expectedDigest :Text)
      -> (writer :Writer, status :IngestStatus);
  # Opens or resumes the ingest `ref` (total -1 and expectedDigest "" when unknown);
  # unavailable while another writer holds it. Resume at status.offset.

  ingests @6 (ctx :Common.Context) -> (statuses :List(IngestStatus));
  # Ingests in progress in this namespace.

  abort @7 (ctx :Common.Context, ref :Text) -> ();
  # Discards an ingest and its bytes.
}

interface Writer {
  write @0 (offset :Int64, data :Data) -> stream;
  # Writes at `offset`, which must not be past the bytes written so far.

  commit @1 (size :Int64, digest :Text, labels :List(Common.Label)) -> (info :ContentInfo);
  # Verifies size and digest (failed_precondition, and the bytes are dropped, on a
  # mismatch) and makes the blob visible in the namespace. A blob that exists already is success.

  status @2 () -> (status :IngestStatus);
}

interface ByteSink {
  write @0 (data :Data) -> stream;
  done @1 () -> ();
}

struct ContentInfo {
  digest @0 :Text;
  size @1 :Int64;
  createdAt @2 :Int64;  # nanoseconds since the Unix epoch
  updatedAt @3 :Int64;
  labels @4 :List(Common.Label);
}

struct IngestStatus {
  ref @0 :Text;
  offset @1 :Int64;
  total @2 :Int64;     # -1 when unknown
  expectedDigest @3 :Text;
  startedAt @4 :Int64;
  updatedAt @5 :Int64;
}
