// SnapshotterTable against a fake C table: what the view itself adds on top
// of a plugin (not_implemented, codes and messages, releasing mount lists,
// sinks that throw, malformed answers).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "snapshots/snapshotter_table.hpp"
#include "snapshotter_fixture.hpp"

using namespace tenon;
using namespace tenon::snapshots;
using tenon::snapshots::test::errorFrom;

namespace {

struct Fake {
  int releases = 0;
  int walkSinkCalls = 0;
  std::string lastParent;
  size_t lastLabelCount = 0;
  int32_t kind = TENON_SNAPSHOT_ACTIVE;
};

Fake& fakeOf(void* self) { return *static_cast<Fake*>(self); }

tenon_status fakePrepare(void* self, const char*, const char* parent, tenon_labels labels, tenon_mount_list* list,
                         tenon_error* err) {
  Fake& fake = fakeOf(self);
  fake.lastParent = parent;
  fake.lastLabelCount = labels.len;
  if (std::string(parent) == "missing") return tenon_error_set(err, TENON_NOT_FOUND, "parent %s not found", parent);
  static const char* const options[] = {"rbind", "rw"};
  static const tenon_mount mount = {sizeof(tenon_mount), "bind", "/src", "", {options, 2}};
  list->struct_size = sizeof *list;
  list->items = &mount;
  list->len = 1;
  list->private_data = self;
  list->release = [](tenon_mount_list* l) {
    ++fakeOf(l->private_data).releases;
    l->release = nullptr;
  };
  return TENON_OK;
}

tenon_status fakeWalk(void* self, tenon_snapshot_sink sink, void* ctx, tenon_error*) {
  for (const char* name : {"a", "b", "c"}) {
    tenon_label label{"k", "v"};
    tenon_snapshot_info info{sizeof info, fakeOf(self).kind, name, "", {&label, 1}, 1, 2};
    ++fakeOf(self).walkSinkCalls;
    if (tenon_status stop = sink(ctx, &info); stop != TENON_OK) return stop;
  }
  return TENON_OK;
}

tenon_status fakeStatWithoutSink(void*, const char*, tenon_snapshot_sink, void*, tenon_error*) { return TENON_OK; }

tenon_snapshotter_service fakeTable() {
  tenon_snapshotter_service t{};
  t.struct_size = sizeof t;
  t.prepare = fakePrepare;
  t.walk = fakeWalk;
  t.stat = fakeStatWithoutSink;
  return t;
}

}  // namespace

TEST_CASE("snapshotter table: mounts are copied and the plugin's list released once") {
  Fake fake;
  tenon_snapshotter_service table = fakeTable();
  SnapshotterTable t({&table, &fake});
  std::vector<Mount> mounts = t.prepare("k", "p", {{"a", "1"}, {"b", "2"}});
  CHECK(mounts == std::vector<Mount>{{"bind", "/src", "", {"rbind", "rw"}}});
  CHECK(fake.releases == 1);
  CHECK(fake.lastParent == "p");
  CHECK(fake.lastLabelCount == 2);
}

TEST_CASE("snapshotter table: the plugin's code and message come through") {
  Fake fake;
  tenon_snapshotter_service table = fakeTable();
  SnapshotterTable t({&table, &fake});
  Error e = errorFrom([&] { t.prepare("k", "missing"); });
  CHECK(e.code() == TENON_NOT_FOUND);
  CHECK(std::string(e.what()) == "parent missing not found");
  CHECK(fake.releases == 0);
}

TEST_CASE("snapshotter table: a NULL function is not_implemented") {
  Fake fake;
  tenon_snapshotter_service table = fakeTable();
  SnapshotterTable t({&table, &fake});
  CHECK(errorFrom([&] { t.commit("n", "k"); }).code() == TENON_NOT_IMPLEMENTED);
  CHECK(errorFrom([&] { t.usage("k"); }).code() == TENON_NOT_IMPLEMENTED);
  CHECK(errorFrom([&] { t.cleanup(); }).code() == TENON_NOT_IMPLEMENTED);
}

TEST_CASE("snapshotter table: a visitor's exception stops the walk and is rethrown") {
  Fake fake;
  tenon_snapshotter_service table = fakeTable();
  SnapshotterTable t({&table, &fake});
  std::vector<std::string> seen;
  CHECK_THROWS_AS(t.walk([&](const SnapshotInfo& info) {
    seen.push_back(info.name);
    CHECK(info.labels == Labels{{"k", "v"}});
    if (info.name == "b") throw std::runtime_error("enough");
  }), std::runtime_error);
  CHECK(seen == std::vector<std::string>{"a", "b"});
  CHECK(fake.walkSinkCalls == 2);
}

TEST_CASE("snapshotter table: malformed answers are internal errors") {
  Fake fake;
  tenon_snapshotter_service table = fakeTable();
  SnapshotterTable t({&table, &fake});
  CHECK(errorFrom([&] { t.stat("k"); }).code() == TENON_INTERNAL);  // OK without calling the sink
  fake.kind = 9;
  CHECK(errorFrom([&] { t.walk([](const SnapshotInfo&) {}); }).code() == TENON_INTERNAL);
  CHECK(errorFrom([&] { t.prepare(std::string("k\0k", 3), ""); }).code() == TENON_INVALID_ARGUMENT);
}
