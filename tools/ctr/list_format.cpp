#include "list_format.hpp"

#include <fmt/core.h>

namespace tenon::ctr {

CLI::Option* addListFormatOptions(CLI::App& ls, ListFormat& format, const std::string& quietHelp) {
  CLI::Option* quiet = ls.add_flag("-q,--quiet", format.quiet, quietHelp);
  ls.add_option("--format", format.format, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str()
      ->excludes(quiet);
  return quiet;
}

ListOutput::ListOutput(const ListFormat& format, std::vector<std::string> header)
    : format_(format), table_(std::move(header)) {}

void ListOutput::add(const std::string& name, Json json, std::vector<std::string> row) {
  names_.push_back(name);
  json_.push_back(std::move(json));
  table_.add(std::move(row));
}

void ListOutput::print() const {
  if (format_.quiet) {
    for (const auto& name : names_) fmt::print("{}\n", name);
  } else if (format_.format == "json") {
    printJson(json_);
  } else {
    table_.print(stdout);
  }
}

}  // namespace tenon::ctr
