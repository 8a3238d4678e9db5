// Every ctr command answers --help, found by walking the help itself, so that a
// command added later is covered without touching this test.
#include <doctest/doctest.h>

#include <set>

#include "built_programs.hpp"
#include "text_lines.hpp"

using namespace tenon::test;

namespace {

// The names under "Subcommands:" in a help text: each row is "  name, alias   description".
std::vector<std::vector<std::string>> subcommands(const std::string& help) {
  std::vector<std::vector<std::string>> result;
  bool inSection = false;
  for (const std::string& line : lines(help)) {
    if (line == "Subcommands:") {
      inSection = true;
      continue;
    }
    if (!inSection) continue;
    if (line.empty()) break;
    if (!line.starts_with("  ") || line[2] == ' ') continue;  // a wrapped description
    std::string names = line.substr(2, line.find("  ", 2) - 2);
    std::vector<std::string> spellings;
    for (size_t start = 0; start <= names.size();) {
      size_t comma = names.find(',', start);
      std::vector<std::string> name = words(names.substr(start, comma - start));
      if (!name.empty()) spellings.push_back(name[0]);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (!spellings.empty()) result.push_back(spellings);
  }
  return result;
}

std::string joined(const std::vector<std::string>& path) {
  std::string text = "ctr";
  for (const std::string& part : path) text += " " + part;
  return text;
}

// Asks `ctr <path> --help`, checks the answer, and recurses into the subcommands it lists.
void walkHelp(const std::string& address, const std::vector<std::string>& path, std::set<std::string>& seen) {
  std::vector<std::string> args = path;
  args.push_back("--help");
  ProcessResult help = runCtr(address, args);
  INFO(joined(path), " --help:\n", help.out, help.err);
  CHECK(help.status.code == 0);
  CHECK(help.err.empty());
  CHECK(contains(help.out, "Usage: " + joined(path) + " "));
  seen.insert(joined(path));
  for (const std::vector<std::string>& spellings : subcommands(help.out)) {
    std::vector<std::string> child = path;
    child.push_back(spellings[0]);
    walkHelp(address, child, seen);
    for (size_t i = 1; i < spellings.size(); ++i) {  // an alias answers too
      std::vector<std::string> alias = path;
      alias.push_back(spellings[i]);
      alias.push_back("--help");
      ProcessResult aliasHelp = runCtr(address, alias);
      CHECK_MESSAGE(aliasHelp.status.code == 0, joined(alias), aliasHelp.err);
      CHECK(contains(aliasHelp.out, "Usage: "));
    }
  }
}

}  // namespace

TEST_CASE("every ctr command and subcommand answers --help with exit code 0, without a daemon") {
  TempDir dir("tenon-ctr-help");
  std::set<std::string> seen;
  walkHelp(dir / "absent.sock", {}, seen);
  INFO("commands found: ", seen.size());
  for (const char* known : {"ctr", "ctr version", "ctr plugins", "ctr plugins ls"}) CHECK(seen.count(known) == 1);
}
