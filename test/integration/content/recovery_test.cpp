// Interrupted ingests: ctr or tenond killed in the middle, then the same ingest run again
// resumes where the daemon stopped, and no blob is listed that is not whole and verified.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "content_fixture.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

constexpr size_t kBlobSize = 64 * kMiB;
constexpr size_t kFedBeforeKill = 24 * kMiB;

struct RecoveryFixture {
  RecoveryFixture() : daemon(contentDaemonOptions()), bytes(randomBytes(kBlobSize, 64)), digest(sha256Of(bytes)) {
    daemon.start();
    file = writeInput(dir, "blob", bytes);
  }

  TestDaemon daemon;
  TempDir dir{"tenon-recovery-input"};
  std::string bytes, digest, file;
};

// The ingest of `ref`, run again with all the bytes, completes with the right digest, and
// the blob then reads back whole.
void checkResumeCompletes(const RecoveryFixture& f, const std::string& ref) {
  ProcessResult resumed = runCtrWithInput(f.daemon.address(), {"content", "ingest", ref}, f.file);
  CHECK_MESSAGE(resumed.status.code == 0, resumed.err);
  CHECK(resumed.out == f.digest + "\n");
  CHECK(ingestOffset(f.daemon, ref) == std::nullopt);
  CHECK(listedDigests(f.daemon) == std::vector<std::string>{f.digest});
  ProcessResult get = runCtr(f.daemon.address(), {"content", "get", f.digest});
  CHECK(get.out.size() == f.bytes.size());
  CHECK(get.out == f.bytes);
}

}  // namespace

TEST_CASE("an ingest whose ctr was killed shows in content active and resumes to the right digest") {
  RecoveryFixture f;
  auto ctr = startIngest(f.daemon, "interrupted", f.bytes, kFedBeforeKill);
  ctr->kill9();

  std::optional<int64_t> kept = ingestOffset(f.daemon, "interrupted");
  REQUIRE(kept.has_value());
  CHECK(*kept > 0);
  CHECK(*kept <= static_cast<int64_t>(kFedBeforeKill));
  CHECK(listedDigests(f.daemon).empty());

  ProcessResult table = runCtr(f.daemon.address(), {"content", "active"});
  std::vector<std::string> rows = lines(table.out);
  REQUIRE(rows.size() == 2);
  CHECK(words(rows[0]) == std::vector<std::string>{"REF", "OFFSET", "TOTAL", "STARTED", "UPDATED"});
  CHECK(rows[1].starts_with("interrupted "));
  CHECK(contains(rows[1], " MiB "));
  CHECK(runCtr(f.daemon.address(), {"content", "active", "-q"}).out == "interrupted\n");

  checkResumeCompletes(f, "interrupted");
}

TEST_CASE("tenond killed during an ingest: after a restart the ingest resumes and no torn blob is listed") {
  RecoveryFixture f;
  auto ctr = startIngest(f.daemon, "crash", f.bytes, kFedBeforeKill);
  f.daemon.kill9();
  ProcessResult cut = ctr->finish();
  CAPTURE(cut.err);
  CHECK(cut.status.code == 1);
  CHECK(cut.out.empty());
  CHECK(isOneLine(cut.err));
  CHECK(contains(cut.err, "tenond"));

  f.daemon.start();
  CHECK(listedDigests(f.daemon).empty());
  std::optional<int64_t> kept = ingestOffset(f.daemon, "crash");
  REQUIRE(kept.has_value());
  CHECK(*kept > 0);
  CHECK(*kept <= static_cast<int64_t>(kFedBeforeKill));

  checkResumeCompletes(f, "crash");
}

TEST_CASE("a resumed ingest fed other bytes than it kept fails the digest check at commit and is discarded") {
  RecoveryFixture f;
  auto ctr = startIngest(f.daemon, "mixed", f.bytes, kFedBeforeKill);
  ctr->kill9();
  REQUIRE(ingestOffset(f.daemon, "mixed").value_or(0) > 0);

  // Same size, other bytes: ctr skips as many as the daemon kept and hashes its own, so the
  // digest it commits is not the one of the bytes the daemon holds.
  std::string other = randomBytes(kBlobSize, 65);
  std::string otherFile = writeInput(f.dir, "other", other);
  ProcessResult mixed = runCtrWithInput(f.daemon.address(), {"content", "ingest", "mixed"}, otherFile);
  CAPTURE(mixed.err);
  CHECK(mixed.status.code == 1);
  CHECK(mixed.out.empty());
  CHECK(isOneLine(mixed.err));
  CHECK(contains(mixed.err, "digest mismatch"));
  CHECK(contains(mixed.err, sha256Of(other)));
  CHECK(listedDigests(f.daemon).empty());
  CHECK(ingestOffset(f.daemon, "mixed") == std::nullopt);

  checkResumeCompletes(f, "mixed");  // from scratch now
}

TEST_CASE("a resumed ingest fed fewer bytes than it kept is cut back to them") {
  RecoveryFixture f;
  auto ctr = startIngest(f.daemon, "shrunk", f.bytes, kFedBeforeKill);
  ctr->kill9();
  int64_t kept = ingestOffset(f.daemon, "shrunk").value_or(0);
  REQUIRE(kept > static_cast<int64_t>(kMiB));

  std::string prefix = f.bytes.substr(0, kMiB / 2);
  ProcessResult result =
      runCtrWithInput(f.daemon.address(), {"content", "ingest", "shrunk"}, writeInput(f.dir, "prefix", prefix));
  CHECK_MESSAGE(result.status.code == 0, result.err);
  CHECK(result.out == sha256Of(prefix) + "\n");
  CHECK(runCtr(f.daemon.address(), {"content", "get", sha256Of(prefix)}).out == prefix);
}

TEST_CASE("content abort discards an interrupted ingest, and fails for one that is gone") {
  RecoveryFixture f;
  auto ctr = startIngest(f.daemon, "dropped", f.bytes, kFedBeforeKill);
  ctr->kill9();
  REQUIRE(ingestOffset(f.daemon, "dropped").has_value());

  // A killed client's writer may be released a moment after its connection drops.
  ProcessResult abort;
  for (int attempt = 0; attempt < 100; ++attempt) {
    abort = runCtr(f.daemon.address(), {"content", "abort", "dropped"});
    if (abort.status.code == 0 || !contains(abort.err, "unavailable")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK_MESSAGE(abort.status.code == 0, abort.err);
  CHECK(ingestOffset(f.daemon, "dropped") == std::nullopt);
  CHECK(listedDigests(f.daemon).empty());

  ProcessResult again = runCtr(f.daemon.address(), {"content", "abort", "dropped"});
  CAPTURE(again.err);
  CHECK(again.status.code == 1);
  CHECK(isOneLine(again.err));
  CHECK(contains(again.err, "no ingest"));
  CHECK(contains(again.err, "dropped\""));
}

TEST_CASE("an ingest held by a live writer is not taken over by a second one") {
  RecoveryFixture f;
  auto first = startIngest(f.daemon, "busy", f.bytes, 4 * kMiB);
  ProcessResult second = runCtrWithInput(f.daemon.address(), {"content", "ingest", "busy"}, f.file);
  CAPTURE(second.err);
  CHECK(second.status.code == 1);
  CHECK(isOneLine(second.err));
  CHECK(contains(second.err, "another writer"));
  CHECK(second.out.empty());

  // The first one goes on to complete.
  REQUIRE(first->feed(std::string_view(f.bytes).substr(4 * kMiB)));
  ProcessResult done = first->finish();
  CHECK_MESSAGE(done.status.code == 0, done.err);
  CHECK(done.out == f.digest + "\n");
}
