// Leases through ctr: what a lease holds survives garbage collection until the
// lease goes; what nothing holds is collected after a deletion.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "content_fixture.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

std::string ingest(const TestDaemon& daemon, const TempDir& dir, const std::string& name, const std::string& bytes,
                   std::vector<std::string> global = {}) {
  std::vector<std::string> args = std::move(global);
  args.insert(args.end(), {"content", "ingest", name});
  ProcessResult result = runCtrWithInput(daemon.address(), args, writeInput(dir, name, bytes));
  REQUIRE_MESSAGE(result.status.code == 0, result.err);
  return sha256Of(bytes);
}

bool listed(const TestDaemon& daemon, const std::string& digest) {
  std::vector<std::string> all = listedDigests(daemon);
  return std::find(all.begin(), all.end(), digest) != all.end();
}

ProcessResult gc(const TestDaemon& daemon) { return runCtr(daemon.address(), {"gc"}); }

}  // namespace

TEST_CASE("a blob ingested under a lease outlives garbage collection until the lease is removed") {
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  TempDir dir{"tenon-lease-input"};

  ProcessResult created = runCtr(daemon.address(), {"leases", "create", "--id", "keep", "purpose=test"});
  REQUIRE_MESSAGE(created.status.code == 0, created.err);
  CHECK(created.out == "keep\n");
  std::string held = ingest(daemon, dir, "held", randomBytes(4096, 1), {"--lease", "keep"});
  std::string loose = ingest(daemon, dir, "loose", randomBytes(4096, 2));

  ProcessResult collected = gc(daemon);
  REQUIRE_MESSAGE(collected.status.code == 0, collected.err);
  CHECK(listed(daemon, held));
  CHECK_FALSE(listed(daemon, loose));

  ProcessResult ls = runCtr(daemon.address(), {"leases", "ls", "-q"});
  CHECK(ls.out == "keep\n");
  ProcessResult removed = runCtr(daemon.address(), {"leases", "rm", "keep"});
  REQUIRE_MESSAGE(removed.status.code == 0, removed.err);
  // Removing a lease schedules a collection of what only it held.
  for (int i = 0; i < 100 && listed(daemon, held); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK_FALSE(listed(daemon, held));
}

TEST_CASE("an unknown lease is refused before anything is stored") {
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  TempDir dir{"tenon-lease-input"};
  ProcessResult result = runCtrWithInput(daemon.address(), {"--lease", "nope", "content", "ingest", "r"},
                                         writeInput(dir, "r", "bytes"));
  CAPTURE(result.err);
  CHECK(result.status.code == 1);
  CHECK(isOneLine(result.err));
  CHECK(contains(result.err, "nope"));
  CHECK(listedDigests(daemon).empty());
}

TEST_CASE("gc --dry-run reports what would go and removes nothing") {
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  TempDir dir{"tenon-lease-input"};
  std::string loose = ingest(daemon, dir, "loose", "unreferenced bytes");
  ProcessResult dry = runCtr(daemon.address(), {"gc", "--dry-run"});
  REQUIRE_MESSAGE(dry.status.code == 0, dry.err);
  CHECK(contains(dry.out, loose));
  CHECK(listed(daemon, loose));
}
