#include <doctest/doctest.h>

#include "plugins/plugin_order.hpp"

using namespace tenon::plugins;

namespace {
OrderNode node(std::string type, std::string id, std::vector<std::string> requirements = {}) {
  OrderNode n{std::move(type), std::move(id), {}};
  for (const auto& r : requirements) n.requirements.push_back(*parseRequirement(r));
  return n;
}
std::vector<std::string> names(const std::vector<OrderNode>& nodes, const Ordering& o) {
  std::vector<std::string> out;
  for (size_t i : o.order) out.push_back(nodes[i].name());
  return out;
}
}  // namespace

TEST_CASE("requirements parse as type.id or type.* with a known type") {
  CHECK(parseRequirement("snapshotter.overlayfs")->id == "overlayfs");
  CHECK(parseRequirement("content.*")->any());
  CHECK_FALSE(parseRequirement("snapshotter"));
  CHECK_FALSE(parseRequirement("snapshotter."));
  CHECK_FALSE(parseRequirement("gizmo.x"));
}

TEST_CASE("plugins are ordered after what they require, ties in input order") {
  std::vector<OrderNode> nodes = {node("runtime", "runc", {"snapshotter.*", "content.local"}),
                                  node("snapshotter", "overlayfs", {"content.local"}),
                                  node("metrics", "cgroup"), node("content", "local")};
  Ordering o = orderPlugins(nodes);
  CHECK(o.failures.empty());
  CHECK(names(nodes, o) == std::vector<std::string>{"metrics.cgroup", "content.local", "snapshotter.overlayfs",
                                                    "runtime.runc"});
  CHECK(o.dependencies[0] == std::vector<size_t>{1, 3});
}

TEST_CASE("an unmet requirement fails the plugin and its dependents, not the others") {
  std::vector<OrderNode> nodes = {node("runtime", "runc", {"snapshotter.zfs"}),
                                  node("metrics", "cgroup", {"runtime.runc"}), node("content", "local")};
  Ordering o = orderPlugins(nodes);
  CHECK(o.failures.at(0) == "requires snapshotter.zfs, which is not available");
  CHECK(o.failures.at(1) == "requires runtime.runc, which failed");
  CHECK(names(nodes, o) == std::vector<std::string>{"content.local"});
}

TEST_CASE("a type-wide requirement needs at least one plugin of that type") {
  std::vector<OrderNode> nodes = {node("runtime", "runc", {"snapshotter.*"})};
  Ordering o = orderPlugins(nodes);
  CHECK(o.failures.at(0) == "requires a snapshotter plugin, and none is available");
}

TEST_CASE("a requirement cycle is reported with its path; what waits on it fails too") {
  std::vector<OrderNode> nodes = {node("metrics", "a", {"metrics.b"}), node("metrics", "b", {"metrics.a"}),
                                  node("runtime", "r", {"metrics.a"}), node("content", "c")};
  Ordering o = orderPlugins(nodes);
  CHECK(o.failures.at(0) == "requirement cycle: metrics.a -> metrics.b -> metrics.a");
  CHECK(o.failures.at(1) == "requirement cycle: metrics.b -> metrics.a -> metrics.b");
  CHECK(o.failures.at(2) == "requires a plugin that is in a requirement cycle");
  CHECK(names(nodes, o) == std::vector<std::string>{"content.c"});
}

TEST_CASE("a plugin requiring its own type with * does not depend on itself") {
  std::vector<OrderNode> nodes = {node("snapshotter", "a", {"snapshotter.*"}), node("snapshotter", "b")};
  Ordering o = orderPlugins(nodes);
  CHECK(o.failures.empty());
  CHECK(names(nodes, o) == std::vector<std::string>{"snapshotter.b", "snapshotter.a"});
}

TEST_CASE("a requirement on a disabled plugin says it is disabled") {
  std::vector<OrderNode> nodes = {node("runtime", "runc", {"snapshotter.overlayfs"})};
  Ordering o = orderPlugins(nodes, {"snapshotter.overlayfs"});
  CHECK(o.failures.at(0) == "requires snapshotter.overlayfs, which is disabled");
}
