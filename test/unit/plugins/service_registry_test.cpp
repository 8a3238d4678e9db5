#include <doctest/doctest.h>

#include <tenon/error.hpp>

#include "plugins/service_registry.hpp"

using namespace tenon;
using namespace tenon::plugins;

namespace {
// An empty table of `size` bytes as its plugin would declare it.
template <class Table>
Table emptyTable(uint32_t size = sizeof(Table)) {
  Table table{};
  table.struct_size = size;
  return table;
}
const auto kSnapshotter = emptyTable<tenon_snapshotter_service>();
const auto kContent = emptyTable<tenon_content_service>();
}  // namespace

TEST_CASE("services are found by type and name, typed") {
  ServiceRegistry registry;
  int self = 0;
  registry.add({TENON_PLUGIN_SNAPSHOTTER, "overlayfs", &kSnapshotter, &self, "snapshotter.overlayfs"});
  registry.add({TENON_PLUGIN_CONTENT, "overlayfs", &kContent, nullptr, "content.x"});
  auto ref = registry.get<tenon_snapshotter_service>("overlayfs");
  CHECK(ref.table == &kSnapshotter);
  CHECK(ref.self == &self);
  CHECK(registry.get<tenon_content_service>("overlayfs").table == &kContent);
  CHECK(registry.list(TENON_PLUGIN_SNAPSHOTTER).size() == 1);
}

TEST_CASE("an unknown service is not_found and the message lists what exists") {
  ServiceRegistry registry;
  registry.add({TENON_PLUGIN_SNAPSHOTTER, "overlayfs", &kSnapshotter, nullptr, "snapshotter.overlayfs"});
  try {
    registry.get<tenon_snapshotter_service>("zfs");
    FAIL("expected not_found");
  } catch (const Error& e) {
    CHECK(e.code() == TENON_NOT_FOUND);
    CHECK(std::string(e.what()) == "snapshotter \"zfs\" not found (loaded: overlayfs)");
  }
}

TEST_CASE("registering a taken name, a bad name or a short table is refused") {
  ServiceRegistry registry;
  registry.add({TENON_PLUGIN_SNAPSHOTTER, "overlayfs", &kSnapshotter, nullptr, "snapshotter.a"});
  try {
    registry.add({TENON_PLUGIN_SNAPSHOTTER, "overlayfs", &kSnapshotter, nullptr, "snapshotter.b"});
    FAIL("expected already_exists");
  } catch (const Error& e) {
    CHECK(e.code() == TENON_ALREADY_EXISTS);
    CHECK(std::string(e.what()).find("snapshotter.a") != std::string::npos);
  }
  CHECK_THROWS_AS(registry.add({TENON_PLUGIN_SNAPSHOTTER, "bad name", &kSnapshotter, nullptr, "p"}), Error);
  CHECK_THROWS_AS(registry.add({99, "x", &kSnapshotter, nullptr, "p"}), Error);
  const auto shortTable = emptyTable<tenon_snapshotter_service>(8);
  CHECK_THROWS_AS(registry.add({TENON_PLUGIN_SNAPSHOTTER, "short", &shortTable, nullptr, "p"}), Error);
}

TEST_CASE("removing a plugin drops exactly its services") {
  ServiceRegistry registry;
  registry.add({TENON_PLUGIN_SNAPSHOTTER, "a", &kSnapshotter, nullptr, "snapshotter.a"});
  registry.add({TENON_PLUGIN_SNAPSHOTTER, "b", &kSnapshotter, nullptr, "snapshotter.b"});
  registry.removePlugin("snapshotter.a");
  CHECK(registry.find(TENON_PLUGIN_SNAPSHOTTER, "a") == nullptr);
  CHECK(registry.find(TENON_PLUGIN_SNAPSHOTTER, "b") != nullptr);
}
