#include <tenon/c_boundary.hpp>
#include "content/content_table.hpp"

#include <cstddef>
#include <tenon/error.hpp>
#include <utility>

namespace tenon::content {

namespace {

// The ABI 1 sizes of the structs a plugin hands back: smaller is a broken plugin.
constexpr size_t kInfoV1Size = offsetof(tenon_content_info, updated) + sizeof(tenon_time);
constexpr size_t kStatusV1Size = offsetof(tenon_ingest_status, updated) + sizeof(tenon_time);


ContentInfo toInfo(const tenon_content_info* c) {
  if (c == nullptr || c->struct_size < kInfoV1Size)
    fail(TENON_INTERNAL, "the content service returned a malformed tenon_content_info");
  return {copyText(c->digest), c->size, c->created, c->updated};
}

IngestStatus toStatus(const tenon_ingest_status* c) {
  if (c == nullptr || c->struct_size < kStatusV1Size)
    fail(TENON_INTERNAL, "the content service returned a malformed tenon_ingest_status");
  return {copyText(c->ref), c->offset, c->total, copyText(c->expected_digest), c->started, c->updated};
}

// A sink of `CInfo`s, each converted by `convert` before `visit` sees it.
template <class CInfo, class Convert, class Visit>
auto makeSink(Convert convert, Visit visit) {
  return callbackSink<const CInfo*>(
      [convert, visit = std::move(visit)](const CInfo* info) mutable { visit(convert(info)); });
}

}  // namespace

ContentWriter::ContentWriter(ContentWriter&& other) noexcept
    : service_(other.service_), writer_(std::exchange(other.writer_, nullptr)) {}

ContentWriter& ContentWriter::operator=(ContentWriter&& other) noexcept {
  if (this != &other) {
    close();
    service_ = other.service_;
    writer_ = std::exchange(other.writer_, nullptr);
  }
  return *this;
}

ContentWriter::~ContentWriter() { close(); }

void ContentWriter::close() {
  if (writer_ == nullptr) return;
  if (service_.table->writer_close) service_.table->writer_close(service_.self, writer_);
  writer_ = nullptr;
}

void ContentWriter::write(int64_t offset, std::span<const uint8_t> bytes) {
  if (writer_ == nullptr) fail(TENON_FAILED_PRECONDITION, "the content writer is closed");
  auto fn = requireFunction(service_.table->writer_write, "content service", "writer_write");
  ErrorRecord e;
  check(fn(service_.self, writer_, offset, tenon_bytes{bytes.data(), bytes.size()}, &e.err), e.err);
}

IngestStatus ContentWriter::status() const {
  if (writer_ == nullptr) fail(TENON_FAILED_PRECONDITION, "the content writer is closed");
  auto fn = requireFunction(service_.table->writer_status, "content service", "writer_status");
  IngestStatus out;
  auto sink = makeSink<tenon_ingest_status>(toStatus, [&](IngestStatus s) { out = std::move(s); });
  ErrorRecord e;
  sink.check(fn(service_.self, writer_, &decltype(sink)::call, &sink, &e.err), e.err);
  return out;
}

bool ContentWriter::commit(int64_t size, const std::string& digest) {
  if (writer_ == nullptr) fail(TENON_FAILED_PRECONDITION, "the content writer is closed");
  auto fn = requireFunction(service_.table->writer_commit, "content service", "writer_commit");
  ErrorRecord e;
  tenon_status status = fn(service_.self, writer_, size, cString(digest, "digest"), &e.err);
  if (status == TENON_ALREADY_EXISTS) return false;
  check(status, e.err);
  return true;
}

ContentInfo ContentTable::info(const std::string& digest) const {
  auto fn = requireFunction(service_.table->info, "content service", "info");
  ContentInfo out;
  bool called = false;
  auto sink = makeSink<tenon_content_info>(toInfo, [&](ContentInfo i) {
    out = std::move(i);
    called = true;
  });
  ErrorRecord e;
  sink.check(fn(service_.self, cString(digest, "digest"), &decltype(sink)::call, &sink, &e.err), e.err);
  if (!called) fail(TENON_INTERNAL, "the content service answered info for " + digest + " without calling its sink");
  return out;
}

size_t ContentTable::readAt(const std::string& digest, int64_t offset, std::span<uint8_t> buf) const {
  auto fn = requireFunction(service_.table->read_at, "content service", "read_at");
  size_t n = 0;
  ErrorRecord e;
  check(fn(service_.self, cString(digest, "digest"), offset, buf.data(), buf.size(), &n, &e.err), e.err);
  if (n > buf.size()) fail(TENON_INTERNAL, "the content service read more than it was asked");
  return n;
}

void ContentTable::walk(const std::function<void(const ContentInfo&)>& visit) const {
  auto fn = requireFunction(service_.table->walk, "content service", "walk");
  auto sink = makeSink<tenon_content_info>(toInfo, [&](const ContentInfo& i) { visit(i); });
  ErrorRecord e;
  sink.check(fn(service_.self, &decltype(sink)::call, &sink, &e.err), e.err);
}

void ContentTable::remove(const std::string& digest) const {
  auto fn = requireFunction(service_.table->remove, "content service", "remove");
  ErrorRecord e;
  check(fn(service_.self, cString(digest, "digest"), &e.err), e.err);
}

std::vector<IngestStatus> ContentTable::ingests() const {
  auto fn = requireFunction(service_.table->list_ingests, "content service", "list_ingests");
  std::vector<IngestStatus> out;
  auto sink = makeSink<tenon_ingest_status>(toStatus, [&](IngestStatus s) { out.push_back(std::move(s)); });
  ErrorRecord e;
  sink.check(fn(service_.self, &decltype(sink)::call, &sink, &e.err), e.err);
  return out;
}

void ContentTable::abort(const std::string& ref) const {
  auto fn = requireFunction(service_.table->abort, "content service", "abort");
  ErrorRecord e;
  check(fn(service_.self, cString(ref, "ref"), &e.err), e.err);
}

ContentWriter ContentTable::openWriter(const std::string& ref, int64_t total, const std::string& expectedDigest) const {
  auto fn = requireFunction(service_.table->writer_open, "content service", "writer_open");
  requireFunction(service_.table->writer_close, "content service", "writer_close");  // a writer that cannot be closed would hold its ref forever
  tenon_content_writer* writer = nullptr;
  ErrorRecord e;
  check(fn(service_.self, cString(ref, "ref"), total, cString(expectedDigest, "expected digest"), &writer, &e.err),
        e.err);
  if (writer == nullptr) fail(TENON_INTERNAL, "the content service opened " + ref + " without a writer");
  return ContentWriter(service_, writer);
}

}  // namespace tenon::content
