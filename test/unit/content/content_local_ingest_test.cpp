// content-local ingests across writers, processes and restarts: one writer per
// ref (by file lock), resuming where an ingest stopped, cleaning up after a crash.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <latch>
#include <optional>
#include <thread>

#include <doctest/doctest.h>

#include "content_local_fixture.hpp"

using namespace tenon;
using namespace tenon::content;
using namespace tenon::content::test;

TEST_CASE("a second writer on a ref is unavailable until the first closes") {
  Store s;
  ContentTable t = s.table();
  std::optional<ContentWriter> first = t.openWriter("busy");
  first->write(0, bytes("abc"));
  Error e = errorFrom([&] { t.openWriter("busy"); });
  CHECK(e.code() == TENON_UNAVAILABLE);
  CHECK(std::string(e.what()) == "ref \"busy\" is locked by another writer");
  CHECK(errorFrom([&] { t.abort("busy"); }).code() == TENON_UNAVAILABLE);
  first.reset();
  ContentWriter second = t.openWriter("busy");
  CHECK(second.status().offset == 3);
}

TEST_CASE("a ref held by a writer in another process is unavailable here") {
  Store s;
  ContentTable t = s.table();
  int ready[2], release[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(release) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child opens the writer with the plugin it inherited, then holds it.
    ::close(ready[0]);
    ::close(release[1]);
    char answer = 'x';
    try {
      ContentWriter w = t.openWriter("shared");
      w.write(0, bytes("from the child"));
      answer = 'y';
      (void)!::write(ready[1], &answer, 1);
      char c;
      (void)!::read(release[0], &c, 1);  // until the parent closes its end
    } catch (...) {
      (void)!::write(ready[1], &answer, 1);
    }
    ::_exit(0);  // no destructors, no doctest report: the exit releases the lock
  }
  ::close(ready[1]);
  ::close(release[0]);
  char answer = 0;
  REQUIRE(::read(ready[0], &answer, 1) == 1);
  REQUIRE(answer == 'y');

  Error e = errorFrom([&] { t.openWriter("shared"); });
  CHECK(e.code() == TENON_UNAVAILABLE);
  CHECK(contains(e.what(), "locked by another writer"));
  CHECK(errorFrom([&] { t.abort("shared"); }).code() == TENON_UNAVAILABLE);

  ::close(release[1]);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  ::close(ready[0]);
  ContentWriter w = t.openWriter("shared");
  CHECK(w.status().offset == 14);  // what the child wrote
}

TEST_CASE("an ingest survives a restart and resumes at its offset; commit verifies all the bytes") {
  Store s;
  std::vector<uint8_t> data = noise(3 * 1024 * 1024 + 123, 7);  // several rehash chunks
  std::string digest = s.digestOf(data);
  int64_t size = static_cast<int64_t>(data.size());
  size_t half = data.size() / 2;
  int64_t started = 0;
  {
    ContentWriter w = s.table().openWriter("big", size, digest);
    for (size_t at = 0; at < half; at += 100'000)
      w.write(static_cast<int64_t>(at), std::span(data).subspan(at, std::min<size_t>(100'000, half - at)));
    started = w.status().started;
  }
  s.restart();
  ContentTable t = s.table();
  std::vector<IngestStatus> listed = t.ingests();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].ref == "big");
  CHECK(listed[0].offset == static_cast<int64_t>(half));
  CHECK(listed[0].total == size);
  CHECK(listed[0].expectedDigest == digest);
  CHECK(listed[0].started == started);

  ContentWriter w = t.openWriter("big");
  IngestStatus st = w.status();
  CHECK(st.offset == static_cast<int64_t>(half));
  CHECK(st.total == size);
  CHECK(st.expectedDigest == digest);
  w.write(st.offset, std::span(data).subspan(half));
  CHECK(w.commit(size, digest));
  std::vector<uint8_t> back(data.size());
  CHECK(t.readAt(digest, 0, back) == data.size());
  CHECK(back == data);
}

TEST_CASE("a resumed ingest whose bytes were damaged while it rested fails its commit") {
  Store s;
  std::string data = "the quick brown fox jumps over the lazy dog";
  std::string digest = s.digestOf(data);
  s.table().openWriter("fox").write(0, bytes(std::string_view(data).substr(0, 20)));
  s.restart();
  REQUIRE(s.table().ingests().size() == 1);
  // Whatever the store remembered of the hash, only the bytes on disk count.
  for (const auto& entry : stdfs::directory_iterator(s.root() / "ingest")) {
    std::fstream f(entry.path() / "data", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4);
    f.put('Q');
  }
  ContentWriter w = s.table().openWriter("fox");
  w.write(20, bytes(std::string_view(data).substr(20)));
  Error e = errorFrom([&] { w.commit(static_cast<int64_t>(data.size()), digest); });
  CHECK(e.code() == TENON_FAILED_PRECONDITION);
  CHECK(contains(e.what(), s.digestOf("the Quick brown fox jumps over the lazy dog")));
  CHECK(s.blobs().empty());
}

TEST_CASE("leftovers of a crash are removed at start, ingests are kept") {
  Store s;
  s.table().openWriter("kept").write(0, bytes("abc"));
  stdfs::path ingestRoot = s.root() / "ingest";
  stdfs::path ingestDir = stdfs::directory_iterator(ingestRoot)->path();
  std::ofstream(s.root() / "blobs" / "sha256" / ".tmp-half-a-blob") << "x";
  stdfs::create_directory(ingestRoot / ".tmp-half-an-ingest");
  std::ofstream(ingestRoot / ".tmp-half-an-ingest" / "data") << "x";
  std::ofstream(ingestDir / ".tmp-updated-123456") << "1";
  s.restart();
  CHECK_FALSE(stdfs::exists(s.root() / "blobs" / "sha256" / ".tmp-half-a-blob"));
  CHECK_FALSE(stdfs::exists(ingestRoot / ".tmp-half-an-ingest"));
  CHECK_FALSE(stdfs::exists(ingestDir / ".tmp-updated-123456"));
  CHECK(s.ingestRefs() == std::vector<std::string>{"kept"});
  CHECK(s.table().openWriter("kept").status().offset == 3);
}

TEST_CASE("of threads racing to open one new ref, exactly one gets it") {
  Store s;
  ContentTable t = s.table();
  constexpr int kThreads = 8;
  std::latch everyoneTried(kThreads);
  std::atomic<int> opened = 0, unavailable = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&] {
      std::optional<ContentWriter> w;
      try {
        w = t.openWriter("race");
        ++opened;
      } catch (const Error& e) {
        if (e.code() == TENON_UNAVAILABLE) ++unavailable;
      }
      everyoneTried.arrive_and_wait();  // the winner holds on until all have tried
    });
  for (std::thread& th : threads) th.join();
  CHECK(opened == 1);
  CHECK(unavailable == kThreads - 1);
  CHECK(s.ingestRefs() == std::vector<std::string>{"race"});
  // The losers' half-built folders are gone, not left for the next start.
  CHECK(std::distance(stdfs::directory_iterator(s.root() / "ingest"), stdfs::directory_iterator()) == 1);
}
