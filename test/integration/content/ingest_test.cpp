// `ctr content ingest`, `get`, `ls`, `rm` and `label` round trips, and how they fail.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "content_fixture.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

// A daemon with the content store, started, and a blob of `size` random bytes in a file.
struct ContentFixture {
  explicit ContentFixture(size_t size = 3 * kMiB + 123)
      : daemon(contentDaemonOptions()), bytes(randomBytes(size, size)), digest(sha256Of(bytes)) {
    daemon.start();
    file = writeInput(dir, "blob", bytes);
  }

  // Ingests the file under `ref`: REQUIREs that it succeeds.
  void ingest(const std::string& ref, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"content", "ingest", ref};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessResult result = runCtrWithInput(daemon.address(), args, file);
    REQUIRE_MESSAGE(result.status.code == 0, result.err);
    REQUIRE(result.out == digest + "\n");
  }

  TestDaemon daemon;
  TempDir dir{"tenon-content-input"};
  std::string bytes, digest, file;
};

// A failed ctr: exit 1, nothing on stdout, one line on stderr holding `part`.
void checkFailsWithOneLine(const ProcessResult& result, const std::string& part) {
  CAPTURE(result.err);
  CHECK(result.status.code == 1);
  CHECK(result.out.empty());
  CHECK(isOneLine(result.err));
  CHECK(contains(result.err, part));
}

}  // namespace

TEST_CASE("an ingested blob reads back byte for byte and is listed with its size") {
  ContentFixture f;
  ProcessResult ingest = runCtrWithInput(f.daemon.address(), {"content", "ingest", "upload-1"}, f.file);
  CHECK_MESSAGE(ingest.status.code == 0, ingest.err);
  CHECK(ingest.out == f.digest + "\n");
  CHECK(ingest.err.empty());  // no progress when stderr is not a terminal

  ProcessResult get = runCtr(f.daemon.address(), {"content", "get", f.digest});
  CHECK_MESSAGE(get.status.code == 0, get.err);
  CHECK(get.out.size() == f.bytes.size());
  CHECK(get.out == f.bytes);

  ProcessResult json = runCtr(f.daemon.address(), {"content", "ls", "--format", "json"});
  REQUIRE_MESSAGE(json.status.code == 0, json.err);
  auto infos = nlohmann::json::parse(json.out);
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].at("digest") == f.digest);
  CHECK(infos[0].at("size") == f.bytes.size());

  ProcessResult table = runCtr(f.daemon.address(), {"content", "ls"});
  std::vector<std::string> rows = lines(table.out);
  REQUIRE(rows.size() == 2);
  CHECK(words(rows[0]) == std::vector<std::string>{"DIGEST", "SIZE", "AGE", "LABELS"});
  CHECK(rows[1].starts_with(f.digest + " "));
  CHECK(contains(rows[1], " 3.0 MiB "));
  CHECK(contains(rows[1], " second"));  // "Less than a second" or "N seconds"

  CHECK(listedDigests(f.daemon) == std::vector<std::string>{f.digest});
  CHECK(f.daemon.stop().code == 0);  // the clean shutdown still works after the streams
  f.daemon.start();
  CHECK(ingestOffset(f.daemon, "upload-1") == std::nullopt);                       // the committed ingest is gone
  CHECK(runCtr(f.daemon.address(), {"content", "cat", f.digest}).out == f.bytes);  // and `cat` works too
}

TEST_CASE("an empty stdin ingests the empty blob") {
  ContentFixture f;
  ProcessResult ingest = runCtr(f.daemon.address(), {"content", "ingest", "nothing"});  // stdin /dev/null
  CHECK_MESSAGE(ingest.status.code == 0, ingest.err);
  CHECK(ingest.out == sha256Of("") + "\n");
  ProcessResult get = runCtr(f.daemon.address(), {"content", "get", sha256Of("")});
  CHECK_MESSAGE(get.status.code == 0, get.err);
  CHECK(get.out.empty());
}

TEST_CASE("a wrong --expected-digest fails at commit with one line and no blob is listed") {
  ContentFixture f;
  std::string wrong = "sha256:" + std::string(64, '1');
  ProcessResult result =
      runCtrWithInput(f.daemon.address(), {"content", "ingest", "wrong", "--expected-digest", wrong}, f.file);
  checkFailsWithOneLine(result, "digest mismatch");
  CHECK(contains(result.err, wrong));
  CHECK(contains(result.err, f.digest));  // what the bytes really hash to
  CHECK(listedDigests(f.daemon).empty());
  CHECK(ingestOffset(f.daemon, "wrong") == std::nullopt);  // discarded, not left to resume
  ProcessResult get = runCtr(f.daemon.address(), {"content", "get", f.digest});
  checkFailsWithOneLine(get, "not found");

  // The same ref then takes the right bytes.
  f.ingest("wrong", {"--expected-digest", f.digest});
  CHECK(listedDigests(f.daemon) == std::vector<std::string>{f.digest});
}

TEST_CASE("a wrong --expected-size fails at commit with one line and no blob is listed") {
  ContentFixture f;
  ProcessResult result =
      runCtrWithInput(f.daemon.address(),
                      {"content", "ingest", "short", "--expected-size", std::to_string(f.bytes.size() - 1)}, f.file);
  checkFailsWithOneLine(result, "size mismatch");
  CHECK(listedDigests(f.daemon).empty());
  CHECK(ingestOffset(f.daemon, "short") == std::nullopt);

  f.ingest("exact", {"--expected-size", std::to_string(f.bytes.size())});
  CHECK(listedDigests(f.daemon) == std::vector<std::string>{f.digest});
}

TEST_CASE("content rm removes a blob: get then says not found, and a second rm fails") {
  ContentFixture f;
  f.ingest("r");
  ProcessResult rm = runCtr(f.daemon.address(), {"content", "rm", f.digest});
  CHECK_MESSAGE(rm.status.code == 0, rm.err);
  CHECK(rm.out == f.digest + "\n");
  CHECK(listedDigests(f.daemon).empty());

  ProcessResult get = runCtr(f.daemon.address(), {"content", "get", f.digest});
  checkFailsWithOneLine(get, "not found");
  CHECK(contains(get.err, f.digest));
  checkFailsWithOneLine(runCtr(f.daemon.address(), {"content", "del", f.digest}), "not found");
}

TEST_CASE("content rm of several digests removes each it can and reports each failure") {
  ContentFixture f;
  f.ingest("first");
  std::string other = randomBytes(1000, 7);
  ProcessResult second =
      runCtrWithInput(f.daemon.address(), {"content", "ingest", "second"}, writeInput(f.dir, "other", other));
  REQUIRE_MESSAGE(second.status.code == 0, second.err);

  std::string unknown = "sha256:" + std::string(64, 'a');
  ProcessResult rm = runCtr(f.daemon.address(), {"content", "remove", f.digest, "bogus", unknown, sha256Of(other)});
  CAPTURE(rm.err);
  CHECK(rm.status.code == 1);
  CHECK(rm.out == f.digest + "\n" + sha256Of(other) + "\n");
  std::vector<std::string> errors = lines(rm.err);
  REQUIRE(errors.size() == 2);
  CHECK(contains(errors[0], "invalid digest \"bogus\""));
  CHECK(contains(errors[1], unknown));
  CHECK(contains(errors[1], "not found"));
  CHECK(listedDigests(f.daemon).empty());
}

TEST_CASE("malformed digests are refused with one line naming them, unknown ones are not found") {
  ContentFixture f;
  std::string upper = "SHA256:" + std::string(64, 'a');
  for (const std::string& bad :
       {std::string("xyz"), std::string("sha256:abc"), upper, "sha256:" + std::string(64, 'A')}) {
    CAPTURE(bad);
    for (std::vector<std::string> command : {std::vector<std::string>{"content", "get", bad},
                                             {"content", "rm", bad},
                                             {"content", "label", bad, "a=b"},
                                             {"content", "ls", "digest==" + bad, "--format", "json"}}) {
      CAPTURE(command[1]);
      ProcessResult result = runCtr(f.daemon.address(), command);
      if (command[1] == "ls") {  // a filter compares text: nothing matches, nothing fails
        CHECK(result.status.code == 0);
        CHECK(nlohmann::json::parse(result.out).empty());
        continue;
      }
      checkFailsWithOneLine(result, "invalid digest");
      CHECK(contains(result.err, bad));
    }
  }
  ProcessResult ingest = runCtr(f.daemon.address(), {"content", "ingest", "x", "--expected-digest", "md5:abc"});
  checkFailsWithOneLine(ingest, "md5:abc");

  std::string unknown = "sha256:" + std::string(64, '0');
  checkFailsWithOneLine(runCtr(f.daemon.address(), {"content", "get", unknown}), "not found");
  checkFailsWithOneLine(runCtr(f.daemon.address(), {"content", "label", unknown, "a=b"}), "not found");
}

TEST_CASE("content labels round trip: set at ingest, added, removed, and matched by filters") {
  ContentFixture f;
  f.ingest("labelled", {"--label", "team=blue", "--label", "tier=gold"});
  auto labelsOf = [&] {
    ProcessResult ls = runCtr(f.daemon.address(), {"content", "ls", "--format", "json"});
    REQUIRE_MESSAGE(ls.status.code == 0, ls.err);
    auto infos = nlohmann::json::parse(ls.out);
    REQUIRE(infos.size() == 1);
    return infos[0].at("labels");
  };
  CHECK(labelsOf() == nlohmann::json{{"team", "blue"}, {"tier", "gold"}});

  ProcessResult add = runCtr(f.daemon.address(), {"content", "label", f.digest, "x=y", "tier="});
  CHECK_MESSAGE(add.status.code == 0, add.err);
  CHECK(add.out == "team=blue,x=y\n");
  CHECK(labelsOf() == nlohmann::json{{"team", "blue"}, {"x", "y"}});
  CHECK(contains(lines(runCtr(f.daemon.address(), {"content", "ls"}).out).at(1), " team=blue,x=y"));

  auto matching = [&](const std::string& filter) {
    ProcessResult ls = runCtr(f.daemon.address(), {"content", "ls", "-q", filter});
    REQUIRE_MESSAGE(ls.status.code == 0, ls.err);
    return lines(ls.out);
  };
  std::vector<std::string> just = {f.digest};
  CHECK(matching("labels.x==y") == just);
  CHECK(matching("labels.\"x\"==y") == just);
  CHECK(matching("labels.x==z").empty());
  CHECK(matching("labels.tier").empty());
  CHECK(matching("digest==" + f.digest) == just);

  ProcessResult show = runCtr(f.daemon.address(), {"content", "label", f.digest});  // no changes: shows them
  CHECK(show.out == "team=blue,x=y\n");
  ProcessResult remove = runCtr(f.daemon.address(), {"content", "label", f.digest, "x=", "team="});
  CHECK_MESSAGE(remove.status.code == 0, remove.err);
  CHECK(remove.out == "\n");
  CHECK(labelsOf().empty());
  CHECK(matching("labels.x==y").empty());

  checkFailsWithOneLine(runCtr(f.daemon.address(), {"content", "label", f.digest, "novalue"}), "novalue");
  checkFailsWithOneLine(runCtr(f.daemon.address(), {"content", "ls", "labels.x=y"}), "expected ==");
}

TEST_CASE("content get into a pipe closed early stops quietly") {
  ContentFixture f(8 * kMiB);
  f.ingest("big");
  std::string script = "'" + std::string(kCtr) + "' --address '" + f.daemon.address() + "' content get " + f.digest +
                       " | head -c 10 > /dev/null; echo ${PIPESTATUS[0]}";
  ProcessResult result = runProcess({"bash", "-c", script});
  CHECK(result.out == "0\n");
  CHECK(result.err.empty());
}
