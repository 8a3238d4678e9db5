// Orders plugins so that each is initialised after what it requires, and
// explains, plugin by plugin, why one cannot be: an unmet requirement, a
// requirement cycle, or a requirement that itself failed. Pure logic.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tenon::plugins {

// "<type>.<id>" names one plugin; "<type>.*" every plugin of a type.
struct Requirement {
  std::string type;
  std::string id;  // "*" for any
  bool any() const { return id == "*"; }
  std::string str() const { return type + "." + id; }
};

// Parses "<type>.<id>" or "<type>.*"; nullopt when malformed.
std::optional<Requirement> parseRequirement(std::string_view text);

struct OrderNode {
  std::string type;
  std::string id;
  std::vector<Requirement> requirements;
  std::string name() const { return type + "." + id; }
};

struct Ordering {
  std::vector<size_t> order;               // indices of nodes that can be initialised, in order
  std::map<size_t, std::string> failures;  // index -> why it cannot be
  // For each ordered node, the indices of the nodes it requires.
  std::map<size_t, std::vector<size_t>> dependencies;
};

// Ties keep the input order, so the result is deterministic. `disabled` names
// plugins switched off by config, so that a requirement on one says so.
Ordering orderPlugins(const std::vector<OrderNode>& nodes, const std::set<std::string>& disabled = {});

}  // namespace tenon::plugins
