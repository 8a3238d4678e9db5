// `ctr version`: the client's version, then the daemon's, with the plugin ABI it speaks.
#include <doctest/doctest.h>

#include <map>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

// "Section:" lines open a section; "  Key: value" lines fill it.
std::map<std::string, std::map<std::string, std::string>> sections(const std::string& text) {
  std::map<std::string, std::map<std::string, std::string>> result;
  std::string section;
  for (const std::string& line : lines(text)) {
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = words(line.substr(0, colon)).empty() ? "" : words(line.substr(0, colon))[0];
    std::vector<std::string> value = words(line.substr(colon + 1));
    if (line[0] != ' ') section = key;
    else result[section][key] = value.empty() ? "" : value[0];
  }
  return result;
}

}  // namespace

TEST_CASE("ctr version shows the client's and the server's versions and ABI 1") {
  TestDaemon daemon(testDaemonOptions());
  daemon.start();
  ProcessResult version = runCtr(daemon.address(), {"version"});
  REQUIRE_MESSAGE(version.status.code == 0, version.err);
  CHECK(version.err.empty());

  auto parsed = sections(version.out);
  CAPTURE(version.out);
  CHECK(parsed["Client"]["Version"] == kExpectedVersion);
  CHECK_FALSE(parsed["Client"]["Revision"].empty());
  CHECK(parsed["Server"]["Version"] == kExpectedVersion);
  CHECK_FALSE(parsed["Server"]["Revision"].empty());
  CHECK(parsed["Server"]["ABI"] == "1");
}

TEST_CASE("ctr --version prints the client's version without a daemon") {
  TempDir dir("tenon-no-daemon");
  ProcessResult version = runCtr(dir / "absent.sock", {"--version"});
  CHECK(version.status.code == 0);
  CHECK(version.out == std::string("ctr ") + kExpectedVersion + "\n");
}
