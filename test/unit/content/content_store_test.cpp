// The namespaced content store: one blob shared by digest, records per
// namespace, refs namespaced, leases holding commits.
#include <doctest/doctest.h>

#include "content_store_fixture.hpp"
#include "metadata/leases.hpp"

using namespace tenon;
using namespace tenon::content::test;

TEST_CASE("a blob committed in one namespace is invisible in another until it commits it too, without a copy") {
  World w;
  std::string digest = w.put("a", "shared bytes");
  CHECK(errorFrom([&] { w.store.info("b", digest); }).code() == TENON_NOT_FOUND);
  std::vector<uint8_t> buf(64);
  CHECK(errorFrom([&] { w.store.readAt("b", digest, 0, buf); }).code() == TENON_NOT_FOUND);
  CHECK(w.store.list("b", filters::Filter::parse({})).empty());

  // With the digest known, b needs no bytes: the ingest opens no writer.
  content::OpenedIngest opened = w.store.openIngest("b", "any-ref", 12, digest);
  CHECK_FALSE(opened.writer);
  REQUIRE(opened.existing);
  CHECK(opened.existing->size == 12);
  CHECK(w.store.info("b", digest).digest == digest);
  CHECK(w.blobs.blobs() == std::vector<std::string>{digest});
}

TEST_CASE("ingest refs are per namespace") {
  World w;
  content::OpenedIngest a = w.store.openIngest("a", "same-ref", -1, "");
  content::OpenedIngest b = w.store.openIngest("b", "same-ref", -1, "");  // not unavailable: another ref
  a.writer->write(0, bytes("xy"));
  CHECK(w.store.ingests("a").size() == 1);
  CHECK(w.store.ingests("a")[0].ref == "same-ref");
  CHECK(w.store.ingests("a")[0].offset == 2);
  CHECK(w.store.ingests("b")[0].offset == 0);
  CHECK(w.store.ingests("c").empty());
}

TEST_CASE("a bad ref or an unknown lease is refused before anything is written") {
  World w;
  for (const std::string& bad : std::vector<std::string>{"", "../x", "a/../b", "..", "tab\there", std::string(201, 'r')}) {
    CAPTURE(bad);
    CHECK(errorFrom([&] { w.store.openIngest("a", bad, -1, ""); }).code() == TENON_INVALID_ARGUMENT);
  }
  CHECK(errorFrom([&] { w.store.openIngest("a", "r", -1, "", "no-such-lease"); }).code() == TENON_NOT_FOUND);
  content::OpenedIngest opened = w.store.openIngest("a", "r", -1, "");
  opened.writer->write(0, bytes("data"));
  CHECK(errorFrom([&] { w.store.commit("a", *opened.writer, 4, w.blobs.digestOf("data"), {}, "nope"); }).code() ==
        TENON_NOT_FOUND);
  CHECK(w.blobs.blobs().empty());
}

TEST_CASE("a commit under a lease records the blob as the lease's resource, labels included") {
  World w;
  w.metadata->update([&](metadata::WriteTx& tx) { metadata::leases::create(tx, "a", {"l1", {}, 0, 0}); });
  std::string digest = w.put("a", "leased", {{"k", "v"}}, "l1");
  CHECK(w.store.info("a", digest).labels == metadata::Labels{{"k", "v"}});
  auto resources = w.metadata->view(
      [&](const metadata::ReadTx& tx) { return metadata::leases::resources(tx, "a", "l1"); });
  CHECK(resources == std::vector<metadata::LeaseResource>{{"content", digest}});
  CHECK(w.store.list("a", filters::Filter::parse({"labels.k==v"})).size() == 1);
  CHECK(w.store.list("a", filters::Filter::parse({"labels.k==w"})).empty());
}

TEST_CASE("a digest mismatch at commit records nothing") {
  World w;
  content::OpenedIngest opened = w.store.openIngest("a", "r", -1, "");
  opened.writer->write(0, bytes("actual"));
  CHECK(errorFrom([&] { w.store.commit("a", *opened.writer, 6, kHelloWorld, {}); }).code() ==
        TENON_FAILED_PRECONDITION);
  CHECK(w.store.list("a", filters::Filter::parse({})).empty());
  CHECK(w.blobs.blobs().empty());
}

TEST_CASE("errors name the ref the client gave, not the namespaced one the plugin holds") {
  World w;
  content::OpenedIngest opened = w.store.openIngest("team-a", "my-ref", -1, "");
  w.store.write("team-a", *opened.writer, 0, bytes("actual"));
  Error mismatch = errorFrom([&] { w.store.commit("team-a", *opened.writer, 6, kHelloWorld, {}); });
  CAPTURE(mismatch.what());
  CHECK(std::string(mismatch.what()).find("\"my-ref\"") != std::string::npos);
  CHECK(std::string(mismatch.what()).find("team-a/") == std::string::npos);
  Error missing = errorFrom([&] { w.store.abort("team-a", "gone"); });
  CHECK(missing.code() == TENON_NOT_FOUND);
  CHECK(std::string(missing.what()).find("team-a/") == std::string::npos);
}
