// The output every `ctr ... ls` shares: a table by default, `-q/--quiet` for one name per
// line, `--format json` for scripts.
#ifndef TENON_CTR_LIST_FORMAT_HPP
#define TENON_CTR_LIST_FORMAT_HPP

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "json_output.hpp"
#include "table.hpp"

namespace tenon::ctr {

struct ListFormat {
  bool quiet = false;
  std::string format = "table";  // or "json"
};

// Adds -q/--quiet (described by `quietHelp`) and --format to `ls`; returns the quiet
// flag, for options that exclude it too.
CLI::Option* addListFormatOptions(CLI::App& ls, ListFormat& format, const std::string& quietHelp);

// Collects the listed items and prints them in the chosen format.
class ListOutput {
 public:
  ListOutput(const ListFormat& format, std::vector<std::string> header);

  // One item: its name (what --quiet prints), its JSON object and its table row.
  void add(const std::string& name, Json json, std::vector<std::string> row);
  // Prints all items on stdout.
  void print() const;

 private:
  ListFormat format_;
  std::vector<std::string> names_;
  Json json_ = Json::array();
  Table table_;
};

}  // namespace tenon::ctr

#endif  // TENON_CTR_LIST_FORMAT_HPP
