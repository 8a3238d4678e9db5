// ContentTable against a fake C table: what the view itself adds on top of a
// plugin (not_implemented, codes and messages, the writer's lifetime, sinks).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "content/content_table.hpp"
#include "thrown_error.hpp"

using namespace tenon;
using namespace tenon::content;

namespace {

// What the fake service was asked and what it answers.
struct Fake {
  tenon_status commitStatus = TENON_OK;
  int infoCalls = 0;
  int closes = 0;
  int walkSinkCalls = 0;
  std::string committedDigest;
  tenon_content_writer* handle = reinterpret_cast<tenon_content_writer*>(0x1234);
};

Fake& fakeOf(void* self) { return *static_cast<Fake*>(self); }

tenon_status fakeInfo(void* self, const char* digest, tenon_content_sink sink, void* ctx, tenon_error*) {
  ++fakeOf(self).infoCalls;
  tenon_content_info info{sizeof info, digest, 42, 1, 2};
  return sink(ctx, &info);
}

tenon_status fakeWalk(void* self, tenon_content_sink sink, void* ctx, tenon_error*) {
  for (const char* digest : {"sha256:1", "sha256:2", "sha256:3"}) {
    tenon_content_info info{sizeof info, digest, 1, 0, 0};
    ++fakeOf(self).walkSinkCalls;
    if (tenon_status stop = sink(ctx, &info); stop != TENON_OK) return stop;
  }
  return TENON_OK;
}

tenon_status fakeOpen(void* self, const char*, int64_t, const char*, tenon_content_writer** writer, tenon_error*) {
  *writer = fakeOf(self).handle;
  return TENON_OK;
}

tenon_status fakeCommit(void* self, tenon_content_writer*, int64_t, const char* digest, tenon_error* err) {
  Fake& fake = fakeOf(self);
  fake.committedDigest = digest;
  if (fake.commitStatus == TENON_OK) return TENON_OK;
  return tenon_error_set(err, fake.commitStatus, "fake says %s", tenon_status_name(fake.commitStatus));
}

void fakeClose(void* self, tenon_content_writer* writer) {
  CHECK(writer == fakeOf(self).handle);
  ++fakeOf(self).closes;
}

tenon_content_service fakeTable() {
  tenon_content_service t{};
  t.struct_size = sizeof t;
  t.info = fakeInfo;
  t.walk = fakeWalk;
  t.writer_open = fakeOpen;
  t.writer_commit = fakeCommit;
  t.writer_close = fakeClose;
  return t;
}

using tenon::test::errorFrom;

}  // namespace

TEST_CASE("a content table without functions answers not_implemented, naming the function") {
  tenon_content_service empty{};
  empty.struct_size = sizeof empty;
  ContentTable t(ServiceRef<tenon_content_service>{&empty, nullptr});
  Error e = errorFrom([&] { t.info("sha256:1"); });
  CHECK(e.code() == TENON_NOT_IMPLEMENTED);
  CHECK(std::string(e.what()) == "the content service does not implement info");
  CHECK(errorFrom([&] { t.walk([](const ContentInfo&) {}); }).code() == TENON_NOT_IMPLEMENTED);
  CHECK(errorFrom([&] { t.ingests(); }).code() == TENON_NOT_IMPLEMENTED);
  CHECK(errorFrom([&] { t.openWriter("r"); }).code() == TENON_NOT_IMPLEMENTED);
  CHECK(errorFrom([&] { t.remove("sha256:1"); }).code() == TENON_NOT_IMPLEMENTED);
  CHECK(errorFrom([&] { t.abort("r"); }).code() == TENON_NOT_IMPLEMENTED);
}

TEST_CASE("info converts what the sink receives") {
  Fake fake;
  tenon_content_service table = fakeTable();
  ContentTable t(ServiceRef<tenon_content_service>{&table, &fake});
  ContentInfo info = t.info("sha256:abc");
  CHECK(info.digest == "sha256:abc");
  CHECK(info.size == 42);
  CHECK(info.created == 1);
  CHECK(info.updated == 2);
}

TEST_CASE("a string holding a NUL byte is refused before it crosses into C") {
  Fake fake;
  tenon_content_service table = fakeTable();
  ContentTable t(ServiceRef<tenon_content_service>{&table, &fake});
  CHECK(errorFrom([&] { t.info(std::string("sha256:a\0b", 10)); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(fake.infoCalls == 0);
}

TEST_CASE("commit: already_exists is false, other failures throw the plugin's code and message") {
  Fake fake;
  tenon_content_service table = fakeTable();
  ContentTable t(ServiceRef<tenon_content_service>{&table, &fake});
  ContentWriter w = t.openWriter("r");
  CHECK(w.commit(1, "sha256:x") == true);
  CHECK(fake.committedDigest == "sha256:x");
  fake.commitStatus = TENON_ALREADY_EXISTS;
  CHECK(w.commit(1, "sha256:y") == false);
  fake.commitStatus = TENON_FAILED_PRECONDITION;
  Error e = errorFrom([&] { w.commit(1, "sha256:z"); });
  CHECK(e.code() == TENON_FAILED_PRECONDITION);
  CHECK(std::string(e.what()) == "fake says failed_precondition");
}

TEST_CASE("a writer is closed exactly once, by whoever owns it last") {
  Fake fake;
  tenon_content_service table = fakeTable();
  ContentTable t(ServiceRef<tenon_content_service>{&table, &fake});
  {
    ContentWriter a = t.openWriter("r");
    ContentWriter b = std::move(a);
    CHECK(fake.closes == 0);
    b.close();
    CHECK(fake.closes == 1);
    b.close();
    CHECK(fake.closes == 1);
    CHECK(errorFrom([&] { b.commit(1, "sha256:x"); }).code() == TENON_FAILED_PRECONDITION);
  }
  CHECK(fake.closes == 1);
  { ContentWriter c = t.openWriter("r"); }
  CHECK(fake.closes == 2);
}

TEST_CASE("what a visitor throws stops the plugin's loop and is rethrown as it was") {
  Fake fake;
  tenon_content_service table = fakeTable();
  ContentTable t(ServiceRef<tenon_content_service>{&table, &fake});
  std::vector<std::string> seen;
  t.walk([&](const ContentInfo& info) { seen.push_back(info.digest); });
  CHECK(seen == std::vector<std::string>{"sha256:1", "sha256:2", "sha256:3"});
  fake.walkSinkCalls = 0;
  CHECK_THROWS_WITH_AS(t.walk([](const ContentInfo& info) {
    if (info.digest == "sha256:2") throw std::out_of_range("two");
  }),
                       "two", std::out_of_range);
  CHECK(fake.walkSinkCalls == 2);
}
