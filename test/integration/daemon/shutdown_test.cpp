// SIGTERM: tenond stops serving, finalises its plugins in reverse init order,
// removes its socket and exits 0.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

// The ids in the test plugins' "test plugin <id> <event>" log lines, in log order.
std::vector<std::string> pluginsThat(const std::string& log, const std::string& event) {
  std::vector<std::string> ids;
  std::regex line("test plugin ([a-z0-9-]+) " + event);
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator(); ++it)
    ids.push_back((*it)[1]);
  return ids;
}

}  // namespace

TEST_CASE("SIGTERM exits 0, removes the socket and finalises plugins in reverse init order") {
  TestDaemon daemon(testDaemonOptions());
  daemon.start();
  REQUIRE(runCtr(daemon.address(), {"version"}).status.code == 0);

  ExitStatus stopped = daemon.stop();
  CHECK(stopped.signal == 0);
  CHECK(stopped.code == 0);
  CHECK_FALSE(std::filesystem::exists(daemon.address()));

  std::string log = daemon.log();
  CAPTURE(log);
  std::vector<std::string> ready = pluginsThat(log, "ready");
  std::vector<std::string> stopping = pluginsThat(log, "stopping");
  CHECK(ready.size() == 3);  // good, good-too, uses-good
  std::reverse(ready.begin(), ready.end());
  CHECK(stopping == ready);
  size_t usesGood = log.find("test plugin uses-good stopping");
  size_t good = log.find("test plugin good stopping");
  REQUIRE(usesGood != std::string::npos);
  REQUIRE(good != std::string::npos);
  CHECK(usesGood < good);
}
