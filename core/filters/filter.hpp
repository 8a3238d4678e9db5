// containerd's list filter syntax, so that users' habits carry over:
//   labels."tenon.io/gc.root"        the field is present
//   digest==sha256:abc...            equal        name!=x   not equal
//   name~=^docker.io/                matches the (ECMAScript) regex
// A filter is clauses joined by ',' (all must hold); several filters match
// when any one of them does; no filter matches everything. Values may be
// quoted with "..." (with \" and \\ escapes) when they hold ',' or operators.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace tenon::filters {

// Looks up a field path ("labels", "tenon.io/gc.root") of one record; nullopt when absent.
using FieldLookup = std::function<std::optional<std::string>(const std::vector<std::string>& path)>;

class Filter {
 public:
  // Parses filters; throws invalid_argument naming the bad one.
  static Filter parse(const std::vector<std::string>& filters);
  bool matches(const FieldLookup& lookup) const;

 private:
  struct Clause {
    std::vector<std::string> path;
    enum class Op { present, equal, notEqual, regex } op = Op::present;
    std::string value;
    std::optional<std::regex> pattern;
  };
  std::vector<std::vector<Clause>> alternatives_;
};

// A lookup for records with labels: `labels.<key>` finds a label, `<name>` finds a top-level field.
FieldLookup labelledFields(const std::function<std::optional<std::string>(const std::string& field)>& field,
                           const std::function<std::optional<std::string>(const std::string& key)>& label);

// The same, for records whose labels are a map.
FieldLookup labelledFields(const std::function<std::optional<std::string>(const std::string& field)>& field,
                           const std::map<std::string, std::string>& labels);

}  // namespace tenon::filters
