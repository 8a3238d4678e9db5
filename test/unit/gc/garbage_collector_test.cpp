// Garbage collection over a real content-local plugin and a real metadata
// store: what is reachable stays, the rest goes, and nothing goes while the
// two disagree.
#include <doctest/doctest.h>

#include "../content/content_store_fixture.hpp"
#include "metadata/leases.hpp"

using namespace tenon;
using namespace tenon::content::test;

TEST_CASE("gc keeps what images reach through gc.ref labels and removes exactly the rest") {
  World w;
  std::string layer = w.put("a", "layer bytes");
  std::string config = w.put("a", "config bytes");
  std::string manifest = w.put("a", "manifest bytes",
                               {{"tenon.io/gc.ref.content.l.0", layer}, {"tenon.io/gc.ref.content.config", config}});
  std::string stray = w.put("a", "nobody wants me");
  w.image("a", "docker.io/library/x:1", manifest);

  gc::GcReport dry = w.collector.collect(true);
  CHECK(dry.removed == std::vector<std::string>{"content a " + stray, "blob " + stray});
  CHECK(w.recorded("a", stray));
  CHECK(w.stored(stray));

  gc::GcReport report = w.collector.collect(false);
  CHECK(report.errors.empty());
  CHECK(report.removed == dry.removed);
  CHECK_FALSE(w.recorded("a", stray));
  CHECK_FALSE(w.stored(stray));
  for (const std::string& kept : {layer, config, manifest}) {
    CHECK(w.recorded("a", kept));
    CHECK(w.stored(kept));
  }
}

TEST_CASE("a blob another namespace still records keeps its bytes") {
  World w;
  std::string shared = w.put("a", "shared bytes", {{"tenon.io/gc.root", ""}});
  w.put("b", "shared bytes");  // unreferenced in b
  w.collector.collect(false);
  CHECK_FALSE(w.recorded("b", shared));
  CHECK(w.recorded("a", shared));
  CHECK(w.stored(shared));
}

TEST_CASE("a lease holds its content until it expires, then both go") {
  World w;
  int64_t soon = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     (std::chrono::system_clock::now() + std::chrono::milliseconds(300)).time_since_epoch())
                     .count();
  w.metadata->update([&](metadata::WriteTx& tx) { metadata::leases::create(tx, "a", {"pull-1", {}, 0, soon}); });
  std::string held = w.put("a", "leased bytes", {}, "pull-1");
  CHECK(w.collector.collect(false).removed.empty());
  CHECK(w.stored(held));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  gc::GcReport report = w.collector.collect(false);
  CHECK(report.removed == std::vector<std::string>{"lease a/pull-1", "content a " + held, "blob " + held});
  CHECK_FALSE(w.stored(held));
}

TEST_CASE("gc removes nothing while a record names a blob the store lacks") {
  World w;
  std::string stray = w.put("a", "would be collected");
  std::string lost = w.put("a", "lost bytes", {{"tenon.io/gc.root", ""}});
  w.blobs.table().remove(lost);  // the store lost it behind the metadata's back
  gc::GcReport report = w.collector.collect(false);
  CHECK(report.removed.empty());
  REQUIRE(report.errors.size() == 1);
  CHECK(report.errors[0].find("disagree") != std::string::npos);
  CHECK(report.errors[0].find(lost) != std::string::npos);
  CHECK(w.stored(stray));
}

TEST_CASE("gc refuses to run on a damaged metadata store") {
  Store blobs;
  stdfs::create_directories(blobs.dir / "metadata");
  std::ofstream(blobs.dir / "metadata" / "data.mdb") << std::string(8192, 'x');
  auto metadata = metadata::MetadataStore::open(blobs.dir / "metadata");
  REQUIRE(metadata->damage());
  content::ContentStore store{blobs.table(), *metadata};
  log::Logger logger{log::Level::error, stderr};
  gc::GarbageCollector collector{*metadata, &store, logger, std::chrono::milliseconds(0)};
  CHECK(errorFrom([&] { collector.collect(false); }).code() == TENON_UNAVAILABLE);
}

TEST_CASE("a scheduled run happens on the background thread soon after") {
  World w;
  std::string stray = w.put("a", "collect me later");
  w.collector.schedule();
  for (int i = 0; i < 100 && w.stored(stray); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_FALSE(w.stored(stray));
}

namespace {
// The real content-local table, except that removing one chosen blob fails.
const tenon_content_service* realTable = nullptr;
std::string undeletable;
tenon_status removeUnlessChosen(void* self, const char* digest, tenon_error* err) {
  if (undeletable == digest) return tenon_error_set(err, TENON_PERMISSION_DENIED, "read-only file system");
  return realTable->remove(self, digest, err);
}
}  // namespace

TEST_CASE("a blob that cannot be removed is reported and the sweep goes on") {
  Store blobs;
  ServiceRef<tenon_content_service> real = blobs.registry.get<tenon_content_service>("local");
  realTable = real.table;
  tenon_content_service failing = *real.table;
  failing.remove = &removeUnlessChosen;
  auto metadata = metadata::MetadataStore::open(blobs.dir / "metadata");
  content::ContentStore store{content::ContentTable({&failing, real.self}), *metadata};
  log::Logger logger{log::Level::error, stderr};
  gc::GarbageCollector collector{*metadata, &store, logger, std::chrono::milliseconds(0)};

  std::vector<std::string> digests;
  for (std::string data : {"one", "two", "three"}) {
    content::OpenedIngest opened = store.openIngest("a", data, -1, "");
    opened.writer->write(0, bytes(data));
    digests.push_back(blobs.digestOf(data));
    store.commit("a", *opened.writer, static_cast<int64_t>(data.size()), digests.back(), {});
  }
  std::sort(digests.begin(), digests.end());
  undeletable = digests[1];
  gc::GcReport report = collector.collect(false);
  REQUIRE(report.errors.size() == 1);
  CHECK(report.errors[0] == "blob " + undeletable + ": read-only file system");
  CHECK(blobs.blobs() == std::vector<std::string>{undeletable});
}
