// `ctr namespaces`: create, ls, label, rm; and content isolation between namespaces.
#include <doctest/doctest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "content_fixture.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

nlohmann::json namespacesJson(const TestDaemon& daemon) {
  ProcessResult ls = runCtr(daemon.address(), {"namespaces", "ls", "--format", "json"});
  REQUIRE_MESSAGE(ls.status.code == 0, ls.err);
  return nlohmann::json::parse(ls.out);
}

nlohmann::json labelsOf(const TestDaemon& daemon, const std::string& name) {
  for (const auto& ns : namespacesJson(daemon))
    if (ns.at("name") == name) return ns.at("labels");
  FAIL("namespace " << name << " is not listed");
  return {};
}

std::vector<std::string> namespaceNames(const TestDaemon& daemon) {
  ProcessResult ls = runCtr(daemon.address(), {"ns", "ls", "-q"});
  REQUIRE_MESSAGE(ls.status.code == 0, ls.err);
  return lines(ls.out);
}

void checkFailsWithOneLine(const ProcessResult& result, const std::string& part) {
  CAPTURE(result.err);
  CHECK(result.status.code == 1);
  CHECK(isOneLine(result.err));
  CHECK(contains(result.err, part));
}

// Ingests `bytes` in namespace `ns` under `ref` (REQUIREs success) with extra arguments.
void ingestIn(const TestDaemon& daemon, const TempDir& dir, const std::string& ns, const std::string& bytes,
              std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"-n", ns, "content", "ingest", "ref-" + ns};
  args.insert(args.end(), extra.begin(), extra.end());
  ProcessResult result = runCtrWithInput(daemon.address(), args, writeInput(dir, "input-" + ns, bytes));
  REQUIRE_MESSAGE(result.status.code == 0, result.err);
  REQUIRE(result.out == sha256Of(bytes) + "\n");
}

}  // namespace

TEST_CASE("namespaces are created with labels, listed three ways and relabelled") {
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  ProcessResult create = runCtr(daemon.address(), {"namespaces", "create", "team-a", "owner=ann", "tier=gold"});
  CHECK_MESSAGE(create.status.code == 0, create.err);
  CHECK(create.out.empty());
  REQUIRE(runCtr(daemon.address(), {"ns", "create", "team-b"}).status.code == 0);

  CHECK(labelsOf(daemon, "team-a") == nlohmann::json{{"owner", "ann"}, {"tier", "gold"}});
  CHECK(labelsOf(daemon, "team-b").empty());
  CHECK(namespaceNames(daemon) == std::vector<std::string>{"team-a", "team-b"});
  std::vector<std::string> rows = lines(runCtr(daemon.address(), {"namespace", "list"}).out);
  REQUIRE(rows.size() == 3);
  CHECK(words(rows[0]) == std::vector<std::string>{"NAME", "LABELS"});
  CHECK(words(rows[1]) == std::vector<std::string>{"team-a", "owner=ann,tier=gold"});
  CHECK(words(rows[2]) == std::vector<std::string>{"team-b"});

  // KEY= removes, KEY=VALUE sets, the rest stays.
  ProcessResult label = runCtr(daemon.address(), {"ns", "label", "team-a", "tier=", "zone=eu", "owner=bob"});
  CHECK_MESSAGE(label.status.code == 0, label.err);
  CHECK(labelsOf(daemon, "team-a") == nlohmann::json{{"owner", "bob"}, {"zone", "eu"}});
  CHECK(labelsOf(daemon, "team-b").empty());

  checkFailsWithOneLine(runCtr(daemon.address(), {"ns", "create", "team-a"}), "team-a");
  checkFailsWithOneLine(runCtr(daemon.address(), {"ns", "label", "nobody", "a=b"}), "not found");
  checkFailsWithOneLine(runCtr(daemon.address(), {"ns", "label", "team-a", "justakey"}), "justakey");
  CHECK(labelsOf(daemon, "team-a") == nlohmann::json{{"owner", "bob"}, {"zone", "eu"}});
}

TEST_CASE("invalid namespace names are refused with one line naming them") {
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  for (std::string bad : {"Upper", "../up", "dash-", "a b"}) {
    CAPTURE(bad);
    checkFailsWithOneLine(runCtr(daemon.address(), {"ns", "create", bad}), "invalid namespace");
    ProcessResult ls = runCtr(daemon.address(), {"-n", bad, "content", "ls"});
    checkFailsWithOneLine(ls, "invalid namespace");
    CHECK(contains(ls.err, bad));
    CHECK(ls.out.empty());
  }
  CHECK(namespaceNames(daemon).empty());
}

TEST_CASE("a blob in one namespace is invisible in another until that one ingests it, which needs no bytes") {
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  TempDir dir("tenon-ns-input");
  std::string bytes = randomBytes(2 * kMiB + 5, 11);
  std::string digest = sha256Of(bytes);
  ingestIn(daemon, dir, "alpha", bytes);

  CHECK(listedDigests(daemon, "alpha") == std::vector<std::string>{digest});
  CHECK(listedDigests(daemon, "beta").empty());
  ProcessResult hidden = runCtr(daemon.address(), {"-n", "beta", "content", "get", digest});
  checkFailsWithOneLine(hidden, "not found");
  CHECK(hidden.out.empty());
  checkFailsWithOneLine(runCtr(daemon.address(), {"-n", "beta", "content", "label", digest, "a=b"}), "not found");

  // With the expected digest, the daemon finds the bytes it has: stdin is /dev/null here,
  // so success proves that none were sent.
  ProcessResult instant = runCtr(daemon.address(), {"-n", "beta", "content", "ingest", "again", "--expected-digest",
                                                    digest, "--label", "copy=yes", "--label", "tenon.io/gc.root=test"});
  CHECK_MESSAGE(instant.status.code == 0, instant.err);
  CHECK(instant.out == digest + "\n");
  CHECK(listedDigests(daemon, "beta") == std::vector<std::string>{digest});
  CHECK(listedDigests(daemon, "alpha") == std::vector<std::string>{digest});
  CHECK(runCtr(daemon.address(), {"-n", "beta", "content", "get", digest}).out == bytes);
  CHECK(runCtr(daemon.address(), {"-n", "beta", "content", "ls", "-q", "labels.copy==yes"}).out == digest + "\n");
  CHECK(runCtr(daemon.address(), {"-n", "alpha", "content", "ls", "-q", "labels.copy==yes"}).out.empty());

  // Removing it from one namespace leaves it readable in the other, where a GC root label
  // keeps it: the deletion sets off a garbage collection, which we let run (it waits 200 ms).
  REQUIRE(runCtr(daemon.address(), {"-n", "alpha", "content", "rm", digest}).status.code == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(listedDigests(daemon, "alpha").empty());
  CHECK(listedDigests(daemon, "beta") == std::vector<std::string>{digest});
  CHECK(runCtr(daemon.address(), {"-n", "beta", "content", "get", digest}).out == bytes);
}

TEST_CASE("ns rm of a namespace holding content fails naming what is left, and succeeds once it is empty") {
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  TempDir dir("tenon-ns-input");
  std::string bytes = randomBytes(1000, 3);
  ingestIn(daemon, dir, "full", bytes);

  ProcessResult refused = runCtr(daemon.address(), {"ns", "rm", "full"});
  checkFailsWithOneLine(refused, "not empty");
  CHECK(contains(refused.err, "full"));
  CHECK(contains(refused.err, "1 content blob"));
  CHECK(refused.out.empty());
  CHECK(namespaceNames(daemon) == std::vector<std::string>{"full"});

  REQUIRE(runCtr(daemon.address(), {"-n", "full", "content", "rm", sha256Of(bytes)}).status.code == 0);
  ProcessResult removed = runCtr(daemon.address(), {"ns", "remove", "full"});
  CHECK_MESSAGE(removed.status.code == 0, removed.err);
  CHECK(removed.out == "full\n");
  CHECK(namespaceNames(daemon).empty());
}

TEST_CASE("ns rm of several names removes each it can and reports each failure") {
  TestDaemon daemon(contentDaemonOptions());
  daemon.start();
  for (const char* name : {"one", "two"}) REQUIRE(runCtr(daemon.address(), {"ns", "create", name}).status.code == 0);

  ProcessResult rm = runCtr(daemon.address(), {"ns", "delete", "one", "missing", "Bad!", "two"});
  CAPTURE(rm.err);
  CHECK(rm.status.code == 1);
  CHECK(rm.out == "one\ntwo\n");
  std::vector<std::string> errors = lines(rm.err);
  REQUIRE(errors.size() == 2);
  CHECK(contains(errors[0], "\"missing\""));
  CHECK(contains(errors[0], "not found"));
  CHECK(contains(errors[1], "invalid namespace"));
  CHECK(namespaceNames(daemon).empty());
}
