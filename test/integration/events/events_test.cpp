// `ctr events` against the real tenond: what the core publishes (containerd's topics and
// payload fields), in which namespace and order; filters; how ctr events ends.
#include <doctest/doctest.h>
#include <signal.h>

#include <string>
#include <vector>

#include "container_fixture.hpp"
#include "event_watch.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

// Ingests `bytes` into namespace `ns` with ctr, then removes the blob: its digest.
std::string ingestAndRemove(const TestDaemon& daemon, const std::string& ns, const std::string& bytes) {
  TempDir dir("tenon-events-input");
  // A GC root, or the collection that earlier removals scheduled could take it first.
  std::vector<std::string> args = {"-n", ns, "content", "ingest", "--label", "tenon.io/gc.root=1", "events-blob"};
  ProcessResult ingest = runCtrWithInput(daemon.address(), args, writeInput(dir, "blob", bytes));
  REQUIRE_MESSAGE(ingest.status.code == 0, ingest.err);
  std::string digest = sha256Of(bytes);
  ctrOk(daemon, {"-n", ns, "content", "rm", digest});
  return digest;
}

// The one event of `seen` with this namespace and topic (REQUIREs exactly one).
nlohmann::json payloadOf(const std::vector<SeenEvent>& seen, const std::string& ns, const std::string& topic) {
  std::vector<nlohmann::json> found;
  for (const auto& e : seen)
    if (e.ns == ns && e.topic == topic) found.push_back(e.payload);
  REQUIRE_MESSAGE(found.size() == 1, ns << " " << topic << " seen " << found.size() << " times");
  return found.front();
}

bool endsWith(const std::vector<SeenEvent>& seen, const std::string& ns, const std::string& topic) {
  return !seen.empty() && seen.back().ns == ns && seen.back().topic == topic;
}

}  // namespace

TEST_CASE("ctr events prints the core's changes with containerd's topics, each in its namespace, in order") {
  TestDaemon daemon(containerDaemonOptions());
  daemon.start();
  RpcClient client(daemon.address());
  EventWatch watch(daemon.address(), {});
  watch.waitUntilSubscribed(client, "probe", "/test/probe");

  ctrOk(daemon, {"namespaces", "create", "team-a"});
  ctrOk(daemon, {"ns", "label", "team-a", "owner=ann"});
  REQUIRE(client.createImage("team-a", "example.com/app:1", fakeDigest('a')) == "");
  ctrOk(daemon, {"-n", "team-a", "images", "tag", "example.com/app:1", "example.com/app:2"});
  ctrOk(daemon, {"-n", "team-a", "images", "label", "example.com/app:2", "tier=gold"});
  ctrOk(daemon, {"-n", "team-a", "images", "rm", "example.com/app:1", "example.com/app:2"});
  REQUIRE(client.createContainer("team-b", {.id = "web", .image = "example.com/app:1"}) == "");
  ctrOk(daemon, {"-n", "team-b", "containers", "label", "web", "tier=gold"});
  ctrOk(daemon, {"-n", "team-b", "containers", "rm", "web"});
  // Labelled as GC roots: the removals above schedule a collection.
  ctrOk(daemon, {"-n", "team-b", "snapshots", "prepare", "--label", "tenon.io/gc.root=1", "work"});
  ctrOk(daemon, {"-n", "team-b", "snapshots", "commit", "--label", "tenon.io/gc.root=1", "layer", "work"});
  ctrOk(daemon, {"-n", "team-b", "snapshots", "rm", "layer"});
  std::string digest = ingestAndRemove(daemon, "team-b", "some bytes");
  ctrOk(daemon, {"ns", "rm", "team-a"});

  REQUIRE_MESSAGE(watch.waitFor([](const auto& seen) { return endsWith(seen, "team-a", "/namespaces/delete"); }),
                  watch.output());
  std::vector<SeenEvent> seen = watch.seen();
  CHECK(namespacedTopics(seen) == std::vector<std::string>{
                                      "team-a /namespaces/create", "team-a /namespaces/update",
                                      "team-a /images/create",     "team-a /images/create",
                                      "team-a /images/update",     "team-a /images/delete",
                                      "team-a /images/delete",     "team-b /containers/create",
                                      "team-b /containers/update", "team-b /containers/delete",
                                      "team-b /snapshot/prepare",  "team-b /snapshot/commit",
                                      "team-b /snapshot/remove",   "team-b /content/delete",
                                      "team-a /namespaces/delete"});
  CHECK(payloadOf(seen, "team-a", "/namespaces/update") ==
        nlohmann::json{{"name", "team-a"}, {"labels", {{"owner", "ann"}}}});
  CHECK(payloadOf(seen, "team-a", "/images/update") ==
        nlohmann::json{{"name", "example.com/app:2"}, {"labels", {{"tier", "gold"}}}});
  nlohmann::json container = {{"id", "web"}, {"image", "example.com/app:1"}, {"runtime", {{"name", "runc"}}}};
  CHECK(payloadOf(seen, "team-b", "/containers/create") == container);
  CHECK(payloadOf(seen, "team-b", "/containers/delete") == container);
  CHECK(payloadOf(seen, "team-b", "/containers/update").at("labels") == nlohmann::json{{"tier", "gold"}});
  CHECK(payloadOf(seen, "team-b", "/snapshot/prepare") ==
        nlohmann::json{{"key", "work"}, {"parent", ""}, {"snapshotter", "overlayfs"}});
  CHECK(payloadOf(seen, "team-b", "/snapshot/commit") ==
        nlohmann::json{{"key", "work"}, {"name", "layer"}, {"snapshotter", "overlayfs"}});
  CHECK(payloadOf(seen, "team-b", "/content/delete") == nlohmann::json{{"digest", digest}});
  CHECK(payloadOf(seen, "team-a", "/namespaces/delete") == nlohmann::json{{"name", "team-a"}});

  std::optional<ExitStatus> status = watch.stop(SIGINT);
  REQUIRE(status);
  CHECK_MESSAGE(status->code == 0, status->describe(), watch.output());
}

TEST_CASE("filters narrow ctr events to one topic or one namespace across two namespaces") {
  TestDaemon daemon(containerDaemonOptions());
  daemon.start();
  RpcClient client(daemon.address());
  EventWatch creations(daemon.address(), {R"(topic=="/images/create")"});
  EventWatch teamB(daemon.address(), {"namespace==team-b"});
  creations.waitUntilSubscribed(client, "probe", "/images/create");
  teamB.waitUntilSubscribed(client, "team-b", "/test/probe");

  for (const std::string ns : {"team-a", "team-b"}) {
    REQUIRE(client.createImage(ns, "example.com/x:1", fakeDigest('b')) == "");
    REQUIRE(client.createContainer(ns, {.id = "c1", .image = "example.com/x:1"}) == "");
    ctrOk(daemon, {"-n", ns, "images", "rm", "example.com/x:1"});
  }
  REQUIRE(client.publish("team-b", "/test/done", "{}") == "");

  REQUIRE(teamB.waitFor([](const auto& seen) { return endsWith(seen, "team-b", "/test/done"); }));
  std::vector<std::string> teamBTopics = namespacedTopics(teamB.seen());
  std::erase(teamBTopics, "team-b /test/probe");
  CHECK(teamBTopics == std::vector<std::string>{"team-b /images/create", "team-b /containers/create",
                                                "team-b /images/delete", "team-b /test/done"});
  auto twoCreations = [](const auto& seen) { return namespacedTopics(seen).size() == 2; };
  REQUIRE_MESSAGE(creations.waitFor(twoCreations), creations.output());
  CHECK(namespacedTopics(creations.seen()) ==
        std::vector<std::string>{"team-a /images/create", "team-b /images/create"});
  for (const auto& e : creations.seen()) CHECK(e.payload.at("name") == (e.ns == "probe" ? "probe" : "example.com/x:1"));
}

TEST_CASE("SIGTERM ends ctr events with exit 0; a daemon that goes away ends it with a one-line error") {
  TestDaemon daemon(containerDaemonOptions());
  daemon.start();
  RpcClient client(daemon.address());
  EventWatch interrupted(daemon.address(), {});
  interrupted.waitUntilSubscribed(client, "probe", "/test/probe");
  std::optional<ExitStatus> status = interrupted.stop(SIGTERM);
  REQUIRE(status);
  CHECK_MESSAGE(status->code == 0, status->describe());

  EventWatch orphaned(daemon.address(), {});
  orphaned.waitUntilSubscribed(client, "probe", "/test/probe");
  CHECK(daemon.stop().code == 0);  // a live subscription does not hold the daemon up
  status = orphaned.waitForExit();
  REQUIRE(status);
  CHECK(status->code == 1);
  CHECK(contains(orphaned.output(), "ctr: "));
}

TEST_CASE("a bad filter fails ctr events at once with a one-line error") {
  TestDaemon daemon(containerDaemonOptions());
  daemon.start();
  ProcessResult result = runCtr(daemon.address(), {"events", R"(topic=="/images)"});
  CHECK(result.status.code == 1);
  CHECK(isOneLine(result.err));
  CHECK(contains(result.err, "unterminated quote"));
}
