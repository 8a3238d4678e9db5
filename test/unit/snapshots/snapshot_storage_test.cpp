// MetaStore, the snapshot records a snapshotter plugin keeps in its root:
// ids, kinds, the parent chain, the children index, errors, persistence, and
// that a failed materialise records nothing.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <tenon/error.hpp>

#include "snapshot-storage/meta_store.hpp"
#include "snapshotter_fixture.hpp"

using namespace tenon;
using namespace tenon::snapshot_storage;
using tenon::snapshots::test::errorFrom;

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/tenon-snapshot-storage-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

const Materialise kNothing = [](const SnapshotChain&) {};

// base ← mid ← top, all committed.
void commitChain(MetaStore& store) {
  store.createActive("a1", "", {}, kNothing);
  store.commit("base", "a1", {});
  store.createActive("a2", "base", {}, kNothing);
  store.commit("mid", "a2", {});
  store.createActive("a3", "mid", {}, kNothing);
  store.commit("top", "a3", {{"layer", "3"}});
}

}  // namespace

TEST_CASE("snapshot ids are short, increasing and kept through commit") {
  TempDir dir;
  MetaStore store(dir.path / "metadata.db");
  commitChain(store);
  CHECK(store.get("base").id == 1);
  CHECK(store.get("mid").id == 2);
  CHECK(store.get("top").id == 3);
  CHECK(store.get("top").kind == Kind::committed);
  CHECK(store.get("top").labels == Labels{{"layer", "3"}});
  CHECK(store.parentChain("top") == std::vector<uint64_t>{2, 1});
  CHECK(store.parentChain("base").empty());
  SnapshotChain view = store.createView("v", "top", {}, kNothing);
  CHECK(view.snapshot.id == 4);
  CHECK(view.parentIds == std::vector<uint64_t>{3, 2, 1});
}

TEST_CASE("the children index follows commit and remove") {
  TempDir dir;
  MetaStore store(dir.path / "metadata.db");
  commitChain(store);
  store.createActive("child-active", "mid", {}, kNothing);
  CHECK(store.children("mid") == std::vector<std::string>{"top", "child-active"});
  store.commit("child", "child-active", {});
  CHECK(store.children("mid") == std::vector<std::string>{"top", "child"});
  CHECK(errorFrom([&] { store.remove("mid"); }).code() == TENON_FAILED_PRECONDITION);
  store.remove("child");
  store.remove("top");
  CHECK(store.children("mid").empty());
  store.remove("mid");
  CHECK(errorFrom([&] { store.get("mid"); }).code() == TENON_NOT_FOUND);
}

TEST_CASE("record errors use the shared vocabulary") {
  TempDir dir;
  MetaStore store(dir.path / "metadata.db");
  commitChain(store);
  store.createActive("active", "top", {}, kNothing);
  CHECK(errorFrom([&] { store.createActive("active", "", {}, kNothing); }).code() == TENON_ALREADY_EXISTS);
  CHECK(errorFrom([&] { store.createActive("x", "missing", {}, kNothing); }).code() == TENON_NOT_FOUND);
  CHECK(errorFrom([&] { store.createActive("x", "active", {}, kNothing); }).code() == TENON_FAILED_PRECONDITION);
  CHECK(errorFrom([&] { store.createView("x", "active", {}, kNothing); }).code() == TENON_FAILED_PRECONDITION);
  CHECK(errorFrom([&] { store.createActive("", "", {}, kNothing); }).code() == TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { store.createActive(std::string(600, 'k'), "", {}, kNothing); }).code() ==
        TENON_INVALID_ARGUMENT);
  CHECK(errorFrom([&] { store.commit("top", "active", {}); }).code() == TENON_ALREADY_EXISTS);
  CHECK(errorFrom([&] { store.commit("x", "top", {}); }).code() == TENON_FAILED_PRECONDITION);
  CHECK(errorFrom([&] { store.commit("x", "missing", {}); }).code() == TENON_NOT_FOUND);
  CHECK(errorFrom([&] { store.remove("missing"); }).code() == TENON_NOT_FOUND);
  CHECK(errorFrom([&] { store.updateLabels("missing", {}); }).code() == TENON_NOT_FOUND);
  CHECK(errorFrom([&] { store.parentChain("missing"); }).code() == TENON_NOT_FOUND);
}

TEST_CASE("a failed materialise records nothing and does not use up the id") {
  TempDir dir;
  MetaStore store(dir.path / "metadata.db");
  Error e = errorFrom([&] {
    store.createActive("k", "", {}, [](const SnapshotChain&) { fail(TENON_RESOURCE_EXHAUSTED, "disk full"); });
  });
  CHECK(e.code() == TENON_RESOURCE_EXHAUSTED);
  CHECK(errorFrom([&] { store.get("k"); }).code() == TENON_NOT_FOUND);
  uint64_t seen = 0;
  store.createActive("k", "", {}, [&](const SnapshotChain& c) { seen = c.snapshot.id; });
  CHECK(seen == 1);
  CHECK(store.get("k").id == 1);
}

TEST_CASE("labels update bumps the updated time only") {
  TempDir dir;
  MetaStore store(dir.path / "metadata.db");
  store.createActive("k", "", {{"a", "1"}}, kNothing);
  Snapshot before = store.get("k");
  Snapshot after = store.updateLabels("k", {{"b", "2"}});
  CHECK(after.labels == Labels{{"b", "2"}});
  CHECK(after.created == before.created);
  CHECK(after.updated >= before.updated);
  CHECK(store.get("k") == after);
}

TEST_CASE("records and the id counter survive reopening the store") {
  TempDir dir;
  {
    MetaStore store(dir.path / "metadata.db");
    commitChain(store);
    store.createActive("doomed", "", {}, kNothing);
    store.remove("doomed");  // id 4, never to be reused
  }
  MetaStore store(dir.path / "metadata.db");
  CHECK(store.get("top").labels == Labels{{"layer", "3"}});
  CHECK(store.parentChain("top") == std::vector<uint64_t>{2, 1});
  std::vector<std::string> keys;
  store.walk([&](const Snapshot& s) { keys.push_back(s.key); });
  CHECK(keys == std::vector<std::string>{"base", "mid", "top"});
  CHECK(store.createActive("next", "", {}, kNothing).snapshot.id == 5);
}

TEST_CASE("walk runs its visitor outside the transaction, so it may write") {
  TempDir dir;
  MetaStore store(dir.path / "metadata.db");
  commitChain(store);
  store.walk([&](const Snapshot& s) { store.updateLabels(s.key, {{"seen", "yes"}}); });
  CHECK(store.get("base").labels == Labels{{"seen", "yes"}});
}
