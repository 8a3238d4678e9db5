// A damaged metadata store is reported, never a crash nor a reason not to
// start: the daemon serves what does not need it, and touches nothing.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "content_fixture.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

TEST_CASE("tenond starts on a damaged metadata store, says so, and leaves the file as it was") {
  DaemonOptions options = contentDaemonOptions();
  TestDaemon daemon(options);
  std::filesystem::create_directories(daemon.root() + "/metadata");
  std::string garbage(64 * 1024, 'x');
  writeFile(daemon.root() + "/metadata/data.mdb", garbage);
  daemon.start();

  ProcessResult info = runCtr(daemon.address(), {"info"});
  REQUIRE_MESSAGE(info.status.code == 0, info.err);
  nlohmann::json facts = nlohmann::json::parse(info.out);
  REQUIRE(facts["warnings"].size() == 1);
  CHECK(contains(facts["warnings"][0].get<std::string>(), "damaged"));

  ProcessResult plugins = runCtr(daemon.address(), {"plugins", "ls", "-q"});
  CHECK(plugins.status.code == 0);
  CHECK(contains(plugins.out, "content.local"));

  ProcessResult ls = runCtr(daemon.address(), {"namespaces", "ls"});
  CAPTURE(ls.err);
  CHECK(ls.status.code == 1);
  CHECK(isOneLine(ls.err));
  CHECK(contains(ls.err, "damaged"));
  ProcessResult gc = runCtr(daemon.address(), {"gc"});
  CHECK(gc.status.code == 1);
  CHECK(contains(gc.err, "garbage collection is off"));

  CHECK(daemon.stop().code == 0);
  CHECK(readFile(daemon.root() + "/metadata/data.mdb") == garbage);
}
