// Requests the runtime must refuse with the shared error vocabulary and a
// clear message, leaving nothing half-made behind.
#include <doctest/doctest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "runtime_fixture.hpp"

using namespace tenon;
using namespace tenon::runtime_test;
using tenon::tasks::TaskStatus;

namespace {

// Every running tenon-shim-runc whose command line names `id`.
int shimsFor(const std::string& id) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find("tenon-shim-runc") != std::string::npos && cmdline.find(id) != std::string::npos &&
        !processGone(std::stoi(entry.path().filename().string()), std::chrono::milliseconds(0)))
      ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("a spec the runtime refuses fails with its message and leaves nothing behind") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("bad");
  Error e = errorFrom([&] { f.table().create(f.request(ns, id, {"/bin/no-such-program"})); });
  CHECK(e.code() == TENON_FAILED_PRECONDITION);
  INFO(e.what());
  CHECK(std::string(e.what()).find("no-such-program") != std::string::npos);
  CHECK(mountsUnder(f.stateDir()).empty());
  CHECK_FALSE(std::filesystem::exists(f.bundle(ns, id)));
  CHECK(shimsFor(id) == 0);
  CHECK(f.table().list().empty());
  CHECK(f.countEvents(ns, "/tasks/create", id) == 0);
  // The id is free again.
  f.table().create(f.request(ns, id, {"true"}));
  f.table().remove(ns, id);
}

TEST_CASE("malformed requests are invalid_argument") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  tasks::CreateTaskRequest notJson = f.request(ns, "x", {"true"});
  notJson.specJson = "{not json";
  CHECK(errorFrom([&] { f.table().create(notJson); }).code() == TENON_INVALID_ARGUMENT);
  tasks::CreateTaskRequest noProcess = f.request(ns, "x", {"true"});
  noProcess.specJson = "{\"ociVersion\":\"1.0.2\"}";
  CHECK(errorFrom([&] { f.table().create(noProcess); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { f.table().create(f.request(ns, "../escape", {"true"})); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { f.table().create(f.request("a/b", "x", {"true"})); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(mountsUnder(f.stateDir()).empty());
}

TEST_CASE("unknown tasks are not_found, duplicates already_exists, wrong states failed_precondition") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("state");
  Error unknown = errorFrom([&] { f.table().state(ns, "nope"); });
  CHECK(unknown.code() == TENON_NOT_FOUND);
  CHECK(std::string(unknown.what()).find("nope") != std::string::npos);
  CHECK(errorFrom([&] { f.table().kill(ns, "nope", "", SIGTERM); }).code() == TENON_NOT_FOUND);
  CHECK(errorFrom([&] { f.table().remove(ns, "nope"); }).code() == TENON_NOT_FOUND);

  f.table().create(f.request(ns, id, {"sleep", "1000"}));
  CHECK(errorFrom([&] { f.table().create(f.request(ns, id, {"true"})); }).code() == TENON_ALREADY_EXISTS);
  CHECK(errorFrom([&] { f.table().state(ns, id, "no-exec"); }).code() == TENON_NOT_FOUND);
  f.table().start(ns, id);
  CHECK(errorFrom([&] { f.table().start(ns, id); }).code() == TENON_FAILED_PRECONDITION);
  Error running = errorFrom([&] { f.table().remove(ns, id); });
  CHECK(running.code() == TENON_FAILED_PRECONDITION);
  CHECK(std::string(running.what()).find("running") != std::string::npos);
  CHECK(errorFrom([&] { f.table().resizePty(ns, id, "", 80, 24); }).code() == TENON_FAILED_PRECONDITION);
  CHECK(f.table().state(ns, id).status == TaskStatus::running);
  f.table().kill(ns, id, "", SIGKILL);
  CHECK(waitStopped(f.table(), ns, id).exitStatus == 137);
  f.table().remove(ns, id);
}

TEST_CASE("a bad plugin config fails init with a message naming what is wrong") {
  RuntimeFixture f;
  f.unload();
  std::string unknownKey = f.tryLoad(RuntimeFixture::defaultConfig() + "bianry = \"crun\"\n");
  CHECK(unknownKey.find("unknown key `bianry`") != std::string::npos);
  std::string noBinary = f.tryLoad("binary = \"/nonexistent/runc\"\n");
  CHECK(noBinary.find("/nonexistent/runc") != std::string::npos);
  std::string badArgs = f.tryLoad(RuntimeFixture::defaultConfig() + "runtime_args = \"--debug\"\n");
  CHECK(badArgs.find("runtime_args") != std::string::npos);
  // Extra runtime arguments reach every runtime command.
  CHECK(f.tryLoad(RuntimeFixture::defaultConfig() + "runtime_args = [\"--debug\"]\n").empty());
  const std::string ns = f.ns();
  std::string id = f.uniqueId("args");
  f.table().create(f.request(ns, id, {"true"}));
  std::ifstream log(f.bundle(ns, id) / "runtime-log.json");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  CHECK(text.find("\"level\":\"debug\"") != std::string::npos);
  f.table().remove(ns, id);
}
