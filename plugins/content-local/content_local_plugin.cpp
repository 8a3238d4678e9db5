// The content-local plugin: a ContentStore under the plugin's root, offered
// to the core as the content service "local" through the C table. Every
// entry point turns exceptions into a status at this edge (tenon::guard).
#include <tenon/c_boundary.hpp>
#include <tenon/content.h>

#include <memory>
#include <string>
#include <tenon/error.hpp>
#include <tenon/plugin.hpp>

#include "content_store.hpp"

// The C ABI's opaque writer handle is, on this side, an open IngestWriter.
struct tenon_content_writer {
  std::unique_ptr<tenon::content_local::IngestWriter> writer;
};

namespace tenon::content_local {

namespace {

ContentStore& storeOf(void* self) { return *static_cast<ContentStore*>(self); }

IngestWriter& writerOf(tenon_content_writer* w) { return *argRequired(w, "writer").writer; }

// Hands `info` to a C sink; its non-OK answer stops the walk and is what the call returns.
tenon_status sendInfo(tenon_content_sink sink, void* ctx, const BlobInfo& info) {
  tenon_content_info c{};
  c.struct_size = sizeof c;
  c.digest = info.digest.c_str();
  c.size = info.size;
  c.created = info.created;
  c.updated = info.updated;
  return sink(ctx, &c);
}

tenon_status sendStatus(tenon_ingest_sink sink, void* ctx, const IngestStatus& s) {
  tenon_ingest_status c{};
  c.struct_size = sizeof c;
  c.ref = s.ref.c_str();
  c.offset = s.offset;
  c.total = s.total;
  c.expected_digest = s.expectedDigest.c_str();
  c.started = s.started;
  c.updated = s.updated;
  return sink(ctx, &c);
}

tenon_status info(void* self, const char* digest, tenon_content_sink sink, void* ctx, tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    stopped = sendInfo(sink, ctx, storeOf(self).info(argText(digest, "digest")));
  });
}

tenon_status readAt(void* self, const char* digest, int64_t offset, void* buf, size_t len, size_t* n,
                    tenon_error* err) {
  return guard(err, [&] {
    argRequired(n, "n") = 0;
    if (len > 0 && buf == nullptr) fail(TENON_INVALID_ARGUMENT, "buf is NULL");
    *n = storeOf(self).readAt(argText(digest, "digest"), offset, buf, len);
  });
}

tenon_status walk(void* self, tenon_content_sink sink, void* ctx, tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    storeOf(self).walk([&](const BlobInfo& info) { return (stopped = sendInfo(sink, ctx, info)) == TENON_OK; });
  });
}

tenon_status remove(void* self, const char* digest, tenon_error* err) {
  return guard(err, [&] { storeOf(self).remove(argText(digest, "digest")); });
}

tenon_status writerOpen(void* self, const char* ref, int64_t total, const char* expectedDigest,
                        tenon_content_writer** writer, tenon_error* err) {
  return guard(err, [&] {
    argRequired(writer, "writer") = nullptr;
    std::string_view expected = expectedDigest ? expectedDigest : "";
    auto handle = std::make_unique<tenon_content_writer>();
    handle->writer = storeOf(self).openWriter(argText(ref, "ref"), total, expected);
    *writer = handle.release();
  });
}

tenon_status writerWrite(void*, tenon_content_writer* writer, int64_t offset, tenon_bytes data, tenon_error* err) {
  return guard(err, [&] {
    if (data.len > 0 && data.data == nullptr) fail(TENON_INVALID_ARGUMENT, "data is NULL");
    writerOf(writer).write(offset, data.data, data.len);
  });
}

tenon_status writerStatus(void*, tenon_content_writer* writer, tenon_ingest_sink sink, void* ctx,
                          tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    stopped = sendStatus(sink, ctx, writerOf(writer).status());
  });
}

tenon_status writerCommit(void*, tenon_content_writer* writer, int64_t size, const char* digest, tenon_error* err) {
  return guard(err, [&] {
    std::string_view d = argText(digest, "digest");
    if (writerOf(writer).commit(size, d) == IngestWriter::CommitResult::alreadyExists)
      fail(TENON_ALREADY_EXISTS, "content " + std::string(d) + " already exists");
  });
}

void writerClose(void*, tenon_content_writer* writer) {
  std::unique_ptr<tenon_content_writer> owned(writer);
  guard(nullptr, [&] {
    if (owned) owned->writer->close();
  });
}

tenon_status abort(void* self, const char* ref, tenon_error* err) {
  return guard(err, [&] { storeOf(self).abort(argText(ref, "ref")); });
}

tenon_status listIngests(void* self, tenon_ingest_sink sink, void* ctx, tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    storeOf(self).listIngests(
        [&](const IngestStatus& s) { return (stopped = sendStatus(sink, ctx, s)) == TENON_OK; });
  });
}

const tenon_content_service kContentService = {
    sizeof(tenon_content_service),
    info,
    readAt,
    walk,
    remove,
    writerOpen,
    writerWrite,
    writerStatus,
    writerCommit,
    writerClose,
    abort,
    listIngests,
};

}  // namespace

// The plugin's state between init and fini: the store, registered as "local".
class ContentLocalPlugin {
 public:
  explicit ContentLocalPlugin(Host host)
      : store_(std::string(host.root()), [host](const std::string& message) { host.warn(message); }) {
    host.registerService(TENON_PLUGIN_CONTENT, "local", &kContentService, &store_);
    host.info("content store ready at " + std::string(host.root()));
  }

 private:
  ContentStore store_;
};

}  // namespace tenon::content_local

TENON_DEFINE_PLUGIN(tenon::content_local::ContentLocalPlugin, TENON_PLUGIN_CONTENT, "local", CONTENT_LOCAL_VERSION)
