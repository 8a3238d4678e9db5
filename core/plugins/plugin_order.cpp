#include "plugins/plugin_order.hpp"


namespace tenon::plugins {

namespace {

bool isKnownType(std::string_view type) {
  return type == "runtime" || type == "snapshotter" || type == "content" || type == "metrics";
}

// Finds a path from `from` back to `target` through `deps`, for the cycle message.
bool findCycle(size_t from, size_t target, const std::vector<std::vector<size_t>>& deps,
               std::set<size_t>& seen, std::vector<size_t>& path) {
  for (size_t next : deps[from]) {
    if (next == target) {
      path.push_back(next);
      return true;
    }
    if (!seen.insert(next).second) continue;
    path.push_back(next);
    if (findCycle(next, target, deps, seen, path)) return true;
    path.pop_back();
  }
  return false;
}

}  // namespace

std::optional<Requirement> parseRequirement(std::string_view text) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot + 1 >= text.size()) return std::nullopt;
  Requirement r{std::string(text.substr(0, dot)), std::string(text.substr(dot + 1))};
  if (!isKnownType(r.type)) return std::nullopt;
  return r;
}

Ordering orderPlugins(const std::vector<OrderNode>& nodes, const std::set<std::string>& disabled) {
  Ordering result;
  const size_t n = nodes.size();
  std::vector<std::vector<size_t>> deps(n);

  // 1. Resolve each requirement to the nodes that satisfy it.
  for (size_t i = 0; i < n; ++i) {
    for (const Requirement& req : nodes[i].requirements) {
      bool found = false;
      for (size_t j = 0; j < n; ++j) {
        if (j == i || nodes[j].type != req.type || (!req.any() && nodes[j].id != req.id)) continue;
        deps[i].push_back(j);
        found = true;
      }
      if (!found && !result.failures.count(i)) {
        result.failures[i] = req.any()                ? "requires a " + req.type + " plugin, and none is available"
                             : disabled.count(req.str()) ? "requires " + req.str() + ", which is disabled"
                                                        : "requires " + req.str() + ", which is not available";
      }
    }
  }

  // 2. Kahn's algorithm over the nodes not failed yet; ties in input order.
  std::vector<bool> placed(n, false);
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < n; ++i) {
      if (placed[i] || result.failures.count(i)) continue;
      bool ready = true;
      for (size_t d : deps[i]) {
        if (auto f = result.failures.find(d); f != result.failures.end()) {
          result.failures[i] = "requires " + nodes[d].name() + ", which failed";
          ready = false;
          progress = true;
          break;
        }
        if (!placed[d]) ready = false;
      }
      if (!ready) continue;
      placed[i] = true;
      result.order.push_back(i);
      result.dependencies[i] = deps[i];
      progress = true;
      break;  // restart from the first index to keep ties in input order
    }
  }

  // 3. What is left is in a cycle or waits on one.
  for (size_t i = 0; i < n; ++i) {
    if (placed[i] || result.failures.count(i)) continue;
    std::set<size_t> seen{i};
    std::vector<size_t> path{i};
    if (findCycle(i, i, deps, seen, path)) {
      std::string text;
      for (size_t k : path) text += (text.empty() ? "" : " -> ") + nodes[k].name();
      result.failures[i] = "requirement cycle: " + text;
    } else {
      result.failures[i] = "requires a plugin that is in a requirement cycle";
    }
  }
  return result;
}

}  // namespace tenon::plugins
