// tenond's config file: a bad one stops it with one clear line and leaves nothing
// behind; the printed default config is a working config.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <regex>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

std::string regexEscaped(const std::string& text) {
  return std::regex_replace(text, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
}

// Starts tenond on a config whose 5th line is `line5` and checks that it refuses with
// one line "tenond: <file>:5:<column>: ..." holding `parts`, having created nothing.
void checkRefused(const std::string& line5, const std::optional<int>& column, const std::vector<std::string>& parts) {
  TempDir dir("tenon-bad-config");
  std::string config = dir / "config.toml";
  writeFile(config, "root = \"" + (dir / "root") + "\"\n" +      // 1
                        "state = \"" + (dir / "state") + "\"\n" +  // 2
                        "[rpc]\n" +                                // 3
                        "address = \"" + (dir / "tenon.sock") + "\"\n" +  // 4
                        line5 + "\n" +                                    // 5
                        "uid = 0\n");                                     // 6
  ProcessResult run = runProcess({kTenond, "--config", config});
  CAPTURE(run.err);
  CHECK_FALSE(run.timedOut);
  CHECK(run.status.code == 1);
  CHECK(isOneLine(run.err));
  std::string where = regexEscaped(config) + ":5:" + (column ? std::to_string(*column) : "[0-9]+") + ": ";
  CHECK(std::regex_search(run.err, std::regex("^tenond: " + where)));
  for (const std::string& part : parts) CHECK(contains(run.err, part));
  CHECK_FALSE(std::filesystem::exists(dir / "tenon.sock"));
  CHECK_FALSE(std::filesystem::exists(dir / "root"));
  CHECK_FALSE(std::filesystem::exists(dir / "state"));
}

}  // namespace

TEST_CASE("a TOML syntax error makes tenond exit 1 naming file:line:column, with no socket left") {
  checkRefused("mode = 0o6x0", std::nullopt, {});
}

TEST_CASE("a value of the wrong type makes tenond exit 1 naming file:line:column and the key") {
  checkRefused("mode = true", 8, {"rpc.mode", "boolean"});
}

TEST_CASE("an unknown key makes tenond exit 1 naming file:line:column and the key") {
  checkRefused("adress = \"/tmp/x.sock\"", 1, {"rpc.adress"});
}

TEST_CASE("tenond config default, with --root, --state and --address, starts a daemon that serves") {
  ProcessResult printed = runProcess({kTenond, "config", "default"});
  REQUIRE(printed.status.code == 0);
  REQUIRE(contains(printed.out, "[rpc]"));

  DaemonOptions options = testDaemonOptions();
  options.configText = printed.out;
  TestDaemon daemon(options);
  daemon.start();

  ProcessResult version = runCtr(daemon.address(), {"version"});
  CHECK_MESSAGE(version.status.code == 0, version.err);
  ProcessResult ls = runCtr(daemon.address(), {"plugins", "ls"});
  CHECK_MESSAGE(ls.status.code == 0, ls.err);
  CHECK(std::filesystem::exists(daemon.root() + "/tenond.lock"));
  CHECK(std::filesystem::is_directory(daemon.state()));
  CHECK(daemon.stop().code == 0);
}
