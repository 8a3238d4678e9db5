// content-local through ContentTable: ingest, commit and its verification,
// reads, walks and removal, and the refusal of malformed input.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include "content_local_fixture.hpp"

using namespace tenon;
using namespace tenon::content;
using namespace tenon::content::test;

TEST_CASE("content-local registers the content service local") {
  Store s;
  const plugins::PluginRecord& record = s.pluginSet->plugins()[0];
  CHECK(record.name() == "content.local");
  CHECK(record.services == std::vector<std::string>{"content/local"});
  CHECK(stdfs::is_directory(s.root() / "blobs" / "sha256"));
  CHECK(stdfs::is_directory(s.root() / "ingest"));
}

TEST_CASE("a committed blob is visible by digest, with its size, and readable at any offset") {
  Store s;
  ContentTable t = s.table();
  ContentWriter w = t.openWriter("greeting", 11, kHelloWorld);
  w.write(0, bytes("hello "));
  w.write(6, bytes("world"));
  IngestStatus st = w.status();
  CHECK(st.ref == "greeting");
  CHECK(st.offset == 11);
  CHECK(st.total == 11);
  CHECK(st.expectedDigest == kHelloWorld);
  CHECK(st.started > 0);
  CHECK(st.updated >= st.started);
  CHECK(t.ingests().size() == 1);

  CHECK(w.commit(11, kHelloWorld));
  CHECK(s.digestOf("hello world") == kHelloWorld);  // the known vector, and sha256sum agree

  ContentInfo info = t.info(kHelloWorld);
  CHECK(info.digest == kHelloWorld);
  CHECK(info.size == 11);
  CHECK(info.created >= st.started);
  CHECK(info.updated == info.created);

  std::vector<uint8_t> buf(64);
  CHECK(t.readAt(kHelloWorld, 0, buf) == 11);
  CHECK(text(std::span(buf).first(11)) == "hello world");
  CHECK(t.readAt(kHelloWorld, 6, std::span(buf).first(3)) == 3);
  CHECK(text(std::span(buf).first(3)) == "wor");
  CHECK(t.readAt(kHelloWorld, 10, buf) == 1);
  CHECK(buf[0] == 'd');
  CHECK(t.readAt(kHelloWorld, 11, buf) == 0);
  CHECK(t.readAt(kHelloWorld, 1000, buf) == 0);

  stdfs::path blob = s.root() / "blobs" / "sha256" / kHelloWorld.substr(7);
  struct stat sb{};
  REQUIRE(::stat(blob.c_str(), &sb) == 0);
  CHECK((sb.st_mode & 07777) == 0444);
  CHECK(t.ingests().empty());
  CHECK(stdfs::is_empty(s.root() / "ingest"));
  // The writer is done: it takes no more bytes.
  CHECK(errorFrom([&] { w.write(11, bytes("!")); }).code() == TENON_FAILED_PRECONDITION);
}

TEST_CASE("a commit whose digest does not match is refused, the blob never appears and the ingest is gone") {
  Store s;
  ContentTable t = s.table();
  ContentWriter w = t.openWriter("liar");
  w.write(0, bytes("hello"));
  Error e = errorFrom([&] { w.commit(5, kHelloWorld); });
  CHECK(e.code() == TENON_FAILED_PRECONDITION);
  CHECK(contains(e.what(), kHelloWorld));           // what was claimed
  CHECK(contains(e.what(), s.digestOf("hello")));   // what arrived
  CHECK(errorFrom([&] { t.info(kHelloWorld); }).code() == TENON_NOT_FOUND);
  CHECK(errorFrom([&] { t.info(s.digestOf("hello")); }).code() == TENON_NOT_FOUND);
  CHECK(s.blobs().empty());
  CHECK(t.ingests().empty());
  CHECK(errorFrom([&] { w.commit(5, s.digestOf("hello")); }).code() == TENON_FAILED_PRECONDITION);
  w.close();
  CHECK(t.openWriter("liar").status().offset == 0);  // starts over
}

TEST_CASE("a commit whose size does not match is refused and discards the ingest") {
  Store s;
  ContentTable t = s.table();
  ContentWriter w = t.openWriter("short");
  w.write(0, bytes("hello"));
  Error e = errorFrom([&] { w.commit(4, s.digestOf("hell")); });
  CHECK(e.code() == TENON_FAILED_PRECONDITION);
  CHECK(contains(e.what(), "expected 4"));
  CHECK(contains(e.what(), "got 5"));
  CHECK(s.blobs().empty());
  CHECK(t.ingests().empty());
}

TEST_CASE("a commit that contradicts the hints given at open is invalid and keeps the ingest") {
  Store s;
  ContentTable t = s.table();
  ContentWriter w = t.openWriter("hinted", -1, kHelloWorld);
  w.write(0, bytes("hello"));
  Error e = errorFrom([&] { w.commit(5, s.digestOf("hello")); });
  CHECK(e.code() == TENON_INVALID_ARGUMENT);
  CHECK(contains(e.what(), kHelloWorld));
  CHECK(w.status().offset == 5);
  CHECK(s.ingestRefs() == std::vector<std::string>{"hinted"});

  ContentWriter sized = t.openWriter("sized", 3);
  sized.write(0, bytes("hello"));
  CHECK(errorFrom([&] { sized.commit(5, s.digestOf("hello")); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(s.blobs().empty());
}

TEST_CASE("two refs writing the same bytes give one blob, and both succeed") {
  Store s;
  ContentTable t = s.table();
  ContentWriter a = t.openWriter("a");
  ContentWriter b = t.openWriter("b");
  a.write(0, bytes("hello world"));
  b.write(0, bytes("hello world"));
  CHECK(a.commit(11, kHelloWorld) == true);
  CHECK(b.commit(11, kHelloWorld) == false);  // already there: success for the caller
  CHECK(s.blobs() == std::vector<std::string>{kHelloWorld});
  CHECK(t.ingests().empty());
  CHECK(s.readAll(kHelloWorld) == "hello world");
}

TEST_CASE("a write before the current offset cuts the ingest back; one past it is refused") {
  Store s;
  ContentTable t = s.table();
  ContentWriter w = t.openWriter("edit");
  w.write(0, bytes("hello world"));
  Error past = errorFrom([&] { w.write(12, bytes("x")); });
  CHECK(past.code() == TENON_INVALID_ARGUMENT);
  CHECK(contains(past.what(), "11 bytes"));
  CHECK(w.status().offset == 11);
  w.write(6, bytes("there"));
  CHECK(w.status().offset == 11);
  w.write(11, bytes("!"));
  CHECK(w.status().offset == 12);
  std::string digest = s.digestOf("hello there!");
  CHECK(w.commit(12, digest));
  CHECK(s.readAll(digest) == "hello there!");

  // The same after a restart, when the kept prefix must be read back to hash it.
  {
    ContentWriter r = t.openWriter("edit-again");
    r.write(0, bytes("abcdefgh"));
  }
  s.restart();
  ContentWriter r = s.table().openWriter("edit-again");
  r.write(3, bytes("XY"));
  CHECK(r.status().offset == 5);
  CHECK(r.commit(5, s.digestOf("abcXY")));
  CHECK(s.readAll(s.digestOf("abcXY")) == "abcXY");
}

TEST_CASE("walk, list of ingests, abort and remove") {
  Store s;
  CHECK(s.put("one", "first blob"));
  CHECK(s.put("two", "second blob"));
  // Things in the blob folder that are not blobs are not walked.
  stdfs::path blobs = s.root() / "blobs" / "sha256";
  std::ofstream(blobs / "not-a-digest") << "x";
  std::ofstream(blobs / std::string(64, 'A')) << "upper case";
  stdfs::create_directory(blobs / std::string(64, 'b'));
  std::vector<std::string> expected{s.digestOf("first blob"), s.digestOf("second blob")};
  std::sort(expected.begin(), expected.end());
  CHECK(s.blobs() == expected);

  ContentTable t = s.table();
  t.openWriter("pending-a").write(0, bytes("aaa"));
  ContentWriter open = t.openWriter("pending-b");
  CHECK(s.ingestRefs() == std::vector<std::string>{"pending-a", "pending-b"});
  for (const IngestStatus& st : t.ingests())
    if (st.ref == "pending-a") CHECK(st.offset == 3);

  t.abort("pending-a");
  CHECK(s.ingestRefs() == std::vector<std::string>{"pending-b"});
  CHECK(errorFrom([&] { t.abort("pending-a"); }).code() == TENON_NOT_FOUND);
  CHECK(errorFrom([&] { t.abort("pending-b"); }).code() == TENON_UNAVAILABLE);
  CHECK(t.openWriter("pending-a").status().offset == 0);  // aborted bytes are gone

  t.remove(expected[0]);
  CHECK(errorFrom([&] { t.info(expected[0]); }).code() == TENON_NOT_FOUND);
  CHECK(s.blobs() == std::vector<std::string>{expected[1]});
  Error again = errorFrom([&] { t.remove(expected[0]); });
  CHECK(again.code() == TENON_NOT_FOUND);
  CHECK(contains(again.what(), expected[0]));
  std::vector<uint8_t> buf(4);
  CHECK(errorFrom([&] { t.readAt(expected[0], 0, buf); }).code() == TENON_NOT_FOUND);
}

TEST_CASE("what a walk's visitor throws stops the walk and reaches the caller") {
  Store s;
  CHECK(s.put("one", "first blob"));
  CHECK(s.put("two", "second blob"));
  int visits = 0;
  CHECK_THROWS_WITH_AS(s.table().walk([&](const ContentInfo&) {
    ++visits;
    throw std::runtime_error("enough");
  }),
                       "enough", std::runtime_error);
  CHECK(visits == 1);
}

TEST_CASE("malformed digests and refs are refused, naming what was wrong") {
  Store s;
  ContentTable t = s.table();
  Error shortHex = errorFrom([&] { t.info("sha256:abc"); });
  CHECK(shortHex.code() == TENON_INVALID_ARGUMENT);
  CHECK(contains(shortHex.what(), "\"sha256:abc\""));
  Error sha512 = errorFrom([&] { t.info("sha512:" + std::string(128, 'a')); });
  CHECK(sha512.code() == TENON_INVALID_ARGUMENT);
  CHECK(contains(sha512.what(), "unsupported digest algorithm \"sha512\""));
  CHECK(errorFrom([&] { t.info("sha256:" + std::string(64, 'A')); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { t.info("SHA256:" + std::string(64, 'a')); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { t.info("sha256:" + std::string(64, 'a') + "/../x"); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { t.info(std::string(64, 'a')); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { t.remove("sha256:../../etc/passwd"); }).code() == TENON_INVALID_ARGUMENT);
  std::vector<uint8_t> buf(4);
  CHECK(errorFrom([&] { t.readAt("sha256:zz", 0, buf); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(s.put("x", "x"));
  CHECK(errorFrom([&] { t.readAt(s.digestOf("x"), -1, buf); }).code() == TENON_INVALID_ARGUMENT);

  CHECK(errorFrom([&] { t.openWriter(""); }).code() == TENON_INVALID_ARGUMENT);
  Error tooLong = errorFrom([&] { t.openWriter(std::string(257, 'r')); });
  CHECK(tooLong.code() == TENON_INVALID_ARGUMENT);
  CHECK(contains(tooLong.what(), "257 bytes"));
  CHECK(t.openWriter(std::string(256, 'r')).status().ref == std::string(256, 'r'));
  CHECK(errorFrom([&] { t.openWriter(std::string("a\0b", 3)); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { t.openWriter("ok", -2); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { t.openWriter("ok", -1, "md5:abc"); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { t.abort(""); }).code() == TENON_INVALID_ARGUMENT);
  ContentWriter w = t.openWriter("ok");
  w.write(0, bytes("x"));
  CHECK(errorFrom([&] { w.commit(1, "sha256:nope"); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { w.write(-1, bytes("x")); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(w.status().offset == 1);  // a refused call changes nothing
}
