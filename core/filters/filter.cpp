#include "filters/filter.hpp"

#include <cctype>
#include <tenon/error.hpp>

namespace tenon::filters {

namespace {

// Reads a field path element or a value: a quoted string, or a bare run up to a
// delimiter ('.' only ends path elements).
std::string readToken(std::string_view text, size_t& pos, bool pathElement) {
  std::string out;
  if (pos < text.size() && text[pos] == '"') {
    for (++pos; pos < text.size() && text[pos] != '"'; ++pos) {
      if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
      out += text[pos];
    }
    if (pos >= text.size()) fail(TENON_INVALID_ARGUMENT, "unterminated quote in filter \"" + std::string(text) + "\"");
    ++pos;
    return out;
  }
  // Bare field names are identifiers (label keys may hold '/' and '-'); values run to ','.
  auto fieldChar = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '/'; };
  while (pos < text.size() && (pathElement ? fieldChar(text[pos]) : text[pos] != ',')) out += text[pos++];
  return out;
}

}  // namespace

Filter Filter::parse(const std::vector<std::string>& filters) {
  Filter result;
  for (const std::string& text : filters) {
    std::vector<Clause> clauses;
    size_t pos = 0;
    while (pos < text.size()) {
      Clause clause;
      do {
        if (!clause.path.empty()) ++pos;  // the '.' between elements
        std::string element = readToken(text, pos, true);
        if (element.empty()) fail(TENON_INVALID_ARGUMENT, "filter \"" + text + "\": empty field name");
        clause.path.push_back(std::move(element));
      } while (pos < text.size() && text[pos] == '.');
      std::string_view rest = std::string_view(text).substr(pos);
      if (rest.starts_with("==") || rest.starts_with("!=") || rest.starts_with("~=")) {
        clause.op = rest[0] == '=' ? Clause::Op::equal : rest[0] == '!' ? Clause::Op::notEqual : Clause::Op::regex;
        pos += 2;
        clause.value = readToken(text, pos, false);
        if (clause.op == Clause::Op::regex) {
          try {
            clause.pattern.emplace(clause.value, std::regex::ECMAScript);
          } catch (const std::regex_error& e) {
            fail(TENON_INVALID_ARGUMENT, "filter \"" + text + "\": bad regex: " + e.what());
          }
        }
      } else if (!rest.empty() && rest[0] != ',') {
        fail(TENON_INVALID_ARGUMENT, "filter \"" + text + "\": expected ==, != or ~= at \"" + std::string(rest) + "\"");
      }
      clauses.push_back(std::move(clause));
      if (pos < text.size()) ++pos;  // the ','
    }
    if (!clauses.empty()) result.alternatives_.push_back(std::move(clauses));
  }
  return result;
}

bool Filter::matches(const FieldLookup& lookup) const {
  if (alternatives_.empty()) return true;
  for (const auto& clauses : alternatives_) {
    bool all = true;
    for (const Clause& c : clauses) {
      std::optional<std::string> value = lookup(c.path);
      switch (c.op) {
        case Clause::Op::present: all = value.has_value(); break;
        case Clause::Op::equal: all = value && *value == c.value; break;
        case Clause::Op::notEqual: all = !value || *value != c.value; break;
        case Clause::Op::regex: all = value && std::regex_search(*value, *c.pattern); break;
      }
      if (!all) break;
    }
    if (all) return true;
  }
  return false;
}

FieldLookup labelledFields(const std::function<std::optional<std::string>(const std::string& field)>& field,
                           const std::function<std::optional<std::string>(const std::string& key)>& label) {
  return [field, label](const std::vector<std::string>& path) -> std::optional<std::string> {
    if (path.size() >= 2 && path[0] == "labels") {
      // An unquoted label key with dots arrives split: join it back.
      std::string key = path[1];
      for (size_t i = 2; i < path.size(); ++i) key += "." + path[i];
      return label(key);
    }
    if (path.size() == 1) return field(path[0]);
    return std::nullopt;
  };
}

FieldLookup labelledFields(const std::function<std::optional<std::string>(const std::string& field)>& field,
                           const std::map<std::string, std::string>& labels) {
  return labelledFields(field, [&labels](const std::string& key) -> std::optional<std::string> {
    auto it = labels.find(key);
    return it == labels.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
}

}  // namespace tenon::filters
