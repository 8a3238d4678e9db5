#include "metadata/lmdb.hpp"

#include <doctest/doctest.h>

#include <future>
#include <vector>

#include "store_fixture.hpp"

using namespace tenon;
using namespace tenon::metadata;
using tenon::metadata::testing::codeOf;
using tenon::metadata::testing::TempDir;

namespace {

struct EnvFixture {
  TempDir dir;
  lmdb::Env env{dir.path(), {}};
  lmdb::Dbi dbi = open();

  lmdb::Dbi open() {
    lmdb::WriteTxn txn(env);
    lmdb::Dbi d = env.openDbi(txn, "t");
    txn.commit();
    return d;
  }
  void put(std::string_view key, std::string_view value) {
    lmdb::WriteTxn txn(env);
    txn.put(dbi, key, value);
    txn.commit();
  }
};

}  // namespace

TEST_CASE("a write transaction that is not committed leaves nothing behind") {
  EnvFixture f;
  {
    lmdb::WriteTxn txn(f.env);
    txn.put(f.dbi, "k", "v");
    CHECK(txn.get(f.dbi, "k") == "v");
  }
  lmdb::ReadTxn read(f.env);
  CHECK_FALSE(read.get(f.dbi, "k").has_value());
}

TEST_CASE("a read transaction keeps its snapshot while a writer commits") {
  EnvFixture f;
  f.put("k", "old");
  lmdb::ReadTxn before(f.env);
  f.put("k", "new");
  CHECK(before.get(f.dbi, "k") == "old");
  lmdb::ReadTxn after(f.env);
  CHECK(after.get(f.dbi, "k") == "new");
}

TEST_CASE("a scan visits exactly the keys with its prefix, in order") {
  EnvFixture f;
  for (std::string key : {std::string("a\0x", 3), std::string("a\0y", 3), std::string("ab\0z", 4), std::string("b", 1)})
    f.put(key, key);
  lmdb::ReadTxn txn(f.env);
  std::vector<std::string> seen;
  txn.scan(f.dbi, std::string("a\0", 2), [&](std::string_view key, std::string_view) {
    seen.emplace_back(key);
    return true;
  });
  CHECK(seen == std::vector<std::string>{std::string("a\0x", 3), std::string("a\0y", 3)});
  CHECK(txn.hasPrefix(f.dbi, "b"));
  CHECK_FALSE(txn.hasPrefix(f.dbi, "c"));
}

TEST_CASE("del says whether the key was there") {
  EnvFixture f;
  f.put("k", "v");
  lmdb::WriteTxn txn(f.env);
  CHECK(txn.del(f.dbi, "k"));
  CHECK_FALSE(txn.del(f.dbi, "k"));
}

TEST_CASE("a read transaction may move to another thread (MDB_NOTLS)") {
  EnvFixture f;
  f.put("k", "v");
  lmdb::ReadTxn txn(f.env);
  auto value = std::async(std::launch::async, [&] { return std::string(*txn.get(f.dbi, "k")); });
  CHECK(value.get() == "v");
}

TEST_CASE("hundreds of read transactions may be open at once") {
  // LMDB's default is 126 reader slots; RPC workers each hold one per call.
  EnvFixture f;
  std::vector<std::unique_ptr<lmdb::ReadTxn>> open;
  for (int i = 0; i < 300; ++i) open.push_back(std::make_unique<lmdb::ReadTxn>(f.env));
  CHECK(open.size() == 300);
}

TEST_CASE("a key longer than LMDB takes is refused, not truncated") {
  EnvFixture f;
  lmdb::WriteTxn txn(f.env);
  CHECK(codeOf([&] { txn.put(f.dbi, std::string(lmdb::kMaxKeyBytes + 1, 'k'), "v"); }) == TENON_INTERNAL);
}

TEST_CASE("LMDB's damage codes become DamagedError, a full map resource_exhausted") {
  CHECK_THROWS_AS(lmdb::check(MDB_CORRUPTED, "read"), lmdb::DamagedError);
  CHECK_THROWS_AS(lmdb::check(MDB_INVALID, "open"), lmdb::DamagedError);
  CHECK_THROWS_AS(lmdb::check(MDB_VERSION_MISMATCH, "open"), lmdb::DamagedError);
  CHECK(codeOf([] { lmdb::check(MDB_MAP_FULL, "write"); }) == TENON_RESOURCE_EXHAUSTED);
  CHECK(codeOf([] { lmdb::check(MDB_READERS_FULL, "begin"); }) == TENON_UNAVAILABLE);
  CHECK(codeOf([] { lmdb::check(EIO, "commit"); }) == TENON_INTERNAL);
  CHECK(codeOf([] { lmdb::check(MDB_SUCCESS, "x"); }) == TENON_OK);
}
