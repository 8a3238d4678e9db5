// Container records against the real tenond: created through the RPC schema (ctr's
// `create` comes with `ctr run`), then listed, shown, labelled and removed with ctr.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "container_fixture.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

nlohmann::json infoOf(const TestDaemon& daemon, const std::string& ns, const std::string& id) {
  return nlohmann::json::parse(ctrOk(daemon, {"-n", ns, "containers", "info", id}).out);
}

std::vector<std::string> listedIds(const TestDaemon& daemon, const std::string& ns,
                                   const std::vector<std::string>& filters = {}) {
  std::vector<std::string> args = {"-n", ns, "c", "ls", "-q"};
  args.insert(args.end(), filters.begin(), filters.end());
  return lines(ctrOk(daemon, args).out);
}

void checkFailsWithOneLine(const ProcessResult& result, const std::string& part) {
  CAPTURE(result.err);
  CHECK(result.status.code == 1);
  CHECK(isOneLine(result.err));
  CHECK(contains(result.err, part));
}

std::vector<std::string> snapshotKeys(const TestDaemon& daemon, const std::string& ns) {
  return lines(ctrOk(daemon, {"-n", ns, "snapshots", "ls", "-q"}).out);
}

}  // namespace

TEST_CASE("containers are listed like containerd's, filtered, shown as JSON and labelled") {
  TestDaemon daemon(containerDaemonOptions());
  daemon.start();
  RpcClient client(daemon.address());
  ContainerRecord web{.id = "web", .image = "example.com/web:1", .labels = {{"app", "web"}}};
  REQUIRE(client.createContainer("default", web) == "");
  // Only loaded runtimes are accepted: this daemon has runc alone.
  CHECK(client.createContainer("default", {.id = "batch.job-1", .runtime = "crun"}).starts_with("invalid_argument:"));
  REQUIRE(client.createContainer("default", {.id = "batch.job-1", .runtime = "runc"}) == "");

  std::vector<std::string> rows = lines(ctrOk(daemon, {"containers", "ls"}).out);
  REQUIRE(rows.size() == 3);
  CHECK(words(rows[0]) == std::vector<std::string>{"CONTAINER", "IMAGE", "RUNTIME"});
  CHECK(words(rows[1]) == std::vector<std::string>{"batch.job-1", "-", "runc"});
  CHECK(words(rows[2]) == std::vector<std::string>{"web", "example.com/web:1", "runc"});
  CHECK(listedIds(daemon, "default") == std::vector<std::string>{"batch.job-1", "web"});
  CHECK(listedIds(daemon, "default", {"runtime.name==runc,id==web"}) == std::vector<std::string>{"web"});
  CHECK(listedIds(daemon, "default", {"labels.app==web"}) == std::vector<std::string>{"web"});
  CHECK(listedIds(daemon, "default", {"image==nothing", "id~=^batch"}) == std::vector<std::string>{"batch.job-1"});
  auto listed = nlohmann::json::parse(ctrOk(daemon, {"c", "ls", "--format", "json"}).out);
  REQUIRE(listed.size() == 2);
  CHECK(listed[1].at("runtime").at("name") == "runc");

  nlohmann::json info = infoOf(daemon, "default", "web");
  CHECK(info.at("id") == "web");
  CHECK(info.at("image") == "example.com/web:1");
  CHECK(info.at("runtime").at("name") == "runc");       // the daemon's default
  CHECK(info.at("spec").at("ociVersion") == "1.0.2");  // an object, not a string
  CHECK(info.at("labels") == nlohmann::json{{"app", "web"}});

  ProcessResult label = ctrOk(daemon, {"container", "label", "web", "app=", "tier=gold", "owner=ann"});
  CHECK(label.out == "owner=ann,tier=gold\n");
  CHECK(infoOf(daemon, "default", "web").at("labels") == nlohmann::json{{"owner", "ann"}, {"tier", "gold"}});
  checkFailsWithOneLine(runCtr(daemon.address(), {"c", "label", "web", "novalue"}), "novalue");
}

TEST_CASE("create refuses a taken id, a bad id and a spec that is not an object; update takes the fields named") {
  TestDaemon daemon(containerDaemonOptions());
  daemon.start();
  RpcClient client(daemon.address());
  REQUIRE(client.createContainer("default", {.id = "app"}) == "");
  CHECK(client.createContainer("default", {.id = "app"}).starts_with("already_exists: "));
  for (const std::string& id : std::vector<std::string>{"", "-app", "has space", "a/b", "été", std::string(77, 'x')})
    CHECK_MESSAGE(client.createContainer("default", {.id = id}).starts_with("invalid_argument: "), id);
  CHECK(client.createContainer("default", {.id = std::string(76, 'x')}) == "");
  CHECK(client.createContainer("default", {.id = "array", .spec = "[1]"}).starts_with("invalid_argument: "));
  CHECK(client.createContainer("default", {.id = "empty", .spec = ""}).starts_with("invalid_argument: "));
  CHECK(listedIds(daemon, "default") == std::vector<std::string>{"app", std::string(76, 'x')});

  ContainerRecord changed{.id = "app", .image = "example.com/new:2", .labels = {{"a", "1"}, {"b", "2"}}};
  REQUIRE(client.updateContainer("default", changed, {"labels.a"}) == "");
  nlohmann::json app = infoOf(daemon, "default", "app");
  CHECK(app.at("labels") == nlohmann::json{{"a", "1"}});
  CHECK(app.at("image") == "");  // not named, not changed
  REQUIRE(client.updateContainer("default", changed, {"image"}) == "");
  CHECK(infoOf(daemon, "default", "app").at("image") == "example.com/new:2");
  CHECK(client.updateContainer("default", changed, {"runtime.name"}).starts_with("invalid_argument: "));
  CHECK(client.updateContainer("default", {.id = "nobody"}, {"image"}).starts_with("not_found: "));
}

TEST_CASE("the same id in two namespaces is two containers; each namespace sees only its own") {
  TestDaemon daemon(containerDaemonOptions());
  daemon.start();
  RpcClient client(daemon.address());
  REQUIRE(client.createContainer("team-a", {.id = "app", .image = "example.com/a:1"}) == "");
  REQUIRE(client.createContainer("team-b", {.id = "app", .image = "example.com/b:1"}) == "");
  CHECK(infoOf(daemon, "team-a", "app").at("image") == "example.com/a:1");
  CHECK(infoOf(daemon, "team-b", "app").at("image") == "example.com/b:1");
  CHECK(listedIds(daemon, "default").empty());

  CHECK(ctrOk(daemon, {"-n", "team-a", "c", "rm", "app"}).out == "app\n");
  CHECK(listedIds(daemon, "team-a").empty());
  CHECK(listedIds(daemon, "team-b") == std::vector<std::string>{"app"});
  checkFailsWithOneLine(runCtr(daemon.address(), {"-n", "team-a", "c", "info", "app"}), "not found");
}

TEST_CASE("rm removes each container's snapshot, tolerates one already gone, and reports each failure") {
  TestDaemon daemon(containerDaemonOptions());
  daemon.start();
  RpcClient client(daemon.address());
  ctrOk(daemon, {"snapshots", "prepare", "--label", "tenon.io/gc.root=1", "app-rootfs"});
  ctrOk(daemon, {"snapshots", "prepare", "--label", "tenon.io/gc.root=1", "unrelated"});
  ContainerRecord app{.id = "app", .snapshotter = "overlayfs", .snapshotKey = "app-rootfs"};
  ContainerRecord ghost{.id = "ghost", .snapshotter = "overlayfs", .snapshotKey = "never-made"};
  REQUIRE(client.createContainer("default", app) == "");
  REQUIRE(client.createContainer("default", ghost) == "");
  REQUIRE(client.createContainer("default", {.id = "plain"}) == "");

  ProcessResult rm = runCtr(daemon.address(), {"containers", "rm", "app", "nobody", "ghost", "plain"});
  CHECK(rm.status.code == 1);
  CHECK(lines(rm.out) == std::vector<std::string>{"app", "ghost", "plain"});
  CHECK(lines(rm.err).size() == 1);
  CHECK(contains(rm.err, "nobody"));
  CHECK(listedIds(daemon, "default").empty());
  CHECK(snapshotKeys(daemon, "default") == std::vector<std::string>{"unrelated"});
  checkFailsWithOneLine(runCtr(daemon.address(), {"c", "rm", "app"}), "not found");

  // A snapshotter that is not loaded is no missing snapshot: the user hears of it.
  ContainerRecord stranded{.id = "stranded", .snapshotter = "nosuch", .snapshotKey = "rootfs"};
  REQUIRE(client.createContainer("default", stranded) == "");
  checkFailsWithOneLine(runCtr(daemon.address(), {"c", "rm", "stranded"}), "removed but not its snapshot rootfs");
  CHECK(listedIds(daemon, "default").empty());
}
