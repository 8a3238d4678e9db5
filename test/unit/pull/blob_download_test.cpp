// downloadBlob against the real content store, with a fake registry: the
// per-digest lock, resume from an ingest's offset, digest checks and taps.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <tenon/error.hpp>
#include <thread>
#include <vector>

#include "../content/content_store_fixture.hpp"
#include "pull/blob_download.hpp"

using namespace tenon;
using namespace tenon::pull;

namespace {

std::span<const std::uint8_t> span(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// A registry serving `bytes` in chunks of 1000, counting fetches and the offsets asked for.
struct FakeRegistry {
  std::string bytes;
  std::atomic<int> fetches{0};
  std::vector<std::int64_t> offsets;
  std::chrono::milliseconds delay{0};
  std::int64_t failAfter = -1;  // throws unavailable once this many bytes were sent

  BlobFetch fetch() {
    return [this](const metadata::Descriptor&, std::int64_t offset, const registry::BlobSink& sink, std::stop_token) {
      ++fetches;
      offsets.push_back(offset);
      std::this_thread::sleep_for(delay);
      for (std::size_t at = static_cast<std::size_t>(offset); at < bytes.size(); at += 1000) {
        if (failAfter >= 0 && static_cast<std::int64_t>(at) >= failAfter) fail(TENON_UNAVAILABLE, "connection reset");
        sink(span(bytes).subspan(at, std::min<std::size_t>(1000, bytes.size() - at)));
      }
    };
  }
};

struct Events {
  std::mutex mutex;
  std::vector<transfer::ProgressEvent> all;
  std::function<void(const transfer::ProgressEvent&)> sink() {
    return [this](const transfer::ProgressEvent& e) {
      std::lock_guard lock(mutex);
      all.push_back(e);
    };
  }
  bool has(const std::string& message) {
    for (const auto& e : all)
      if (e.message == message) return true;
    return false;
  }
};

std::string blobOf(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 7919) % 251);
  return out;
}

}  // namespace

TEST_CASE("two pulls of one blob at once fetch it once; the second records it in its namespace") {
  content::test::World world;
  unpack::KeyedLocks locks;
  FakeRegistry registry{blobOf(50000)};
  registry.delay = std::chrono::milliseconds(100);
  BlobJob job{{"application/vnd.oci.image.layer.v1.tar", world.blobs.digestOf(registry.bytes), 50000, {}}, "layer"};
  Events first, second;
  BlobDownloads a{world.store, "ns-a", "", locks, first.sink()};
  BlobDownloads b{world.store, "ns-b", "", locks, second.sink()};
  std::thread one([&] { downloadBlob(a, job, registry.fetch(), {}); });
  std::thread two([&] { downloadBlob(b, job, registry.fetch(), {}); });
  one.join();
  two.join();
  CHECK(registry.fetches == 1);
  CHECK(world.recorded("ns-a", job.blob.digest));
  CHECK(world.recorded("ns-b", job.blob.digest));
  CHECK((first.has("exists") != second.has("exists")));
}

TEST_CASE("a download cut off leaves its ingest, and the next one resumes at its offset") {
  content::test::World world;
  unpack::KeyedLocks locks;
  FakeRegistry registry{blobOf(10000)};
  registry.failAfter = 4000;
  BlobJob job{{"application/vnd.oci.image.layer.v1.tar", world.blobs.digestOf(registry.bytes), 10000, {}}, "layer"};
  Events events;
  BlobDownloads pull{world.store, "ns", "", locks, events.sink()};
  CHECK_THROWS_WITH_AS(downloadBlob(pull, job, registry.fetch(), {}),
                       doctest::Contains(("layer " + job.blob.digest + ": connection reset").c_str()), Error);
  std::vector<content::IngestStatus> left = world.store.ingests("ns");
  REQUIRE(left.size() == 1);
  CHECK(left[0].ref == "layer-" + job.blob.digest);
  CHECK(left[0].offset == 4000);

  registry.failAfter = -1;
  downloadBlob(pull, job, registry.fetch(), {});
  CHECK(registry.offsets == std::vector<std::int64_t>{0, 4000});
  CHECK(events.has("resuming at 4000 bytes"));
  CHECK(world.recorded("ns", job.blob.digest));
  CHECK(world.store.ingests("ns").empty());
}

TEST_CASE("bytes that do not match the digest fail naming the blob, commit nothing and abort the ingest") {
  content::test::World world;
  unpack::KeyedLocks locks;
  FakeRegistry registry{blobOf(3000)};
  std::string wanted = world.blobs.digestOf(std::string(3000, 'x'));
  BlobJob job{{"application/vnd.oci.image.config.v1+json", wanted, 3000, {}}, "config"};
  BlobDownloads pull{world.store, "ns", "", locks, {}};
  try {
    downloadBlob(pull, job, registry.fetch(), {});
    FAIL("a blob with the wrong digest was accepted");
  } catch (const Error& e) {
    CHECK(e.code() == TENON_INVALID_ARGUMENT);
    CHECK(std::string(e.what()).starts_with("config " + wanted + ": "));
  }
  CHECK_FALSE(world.stored(wanted));
  CHECK(world.store.ingests("ns").empty());
}

TEST_CASE("an unpack that asked first reads the blob through its tap while it downloads") {
  content::test::World world;
  unpack::KeyedLocks locks;
  FakeRegistry registry{blobOf(200000)};
  BlobJob job{{"application/vnd.oci.image.layer.v1.tar", world.blobs.digestOf(registry.bytes), 200000, {}}, "layer"};
  LayerTaps taps(4096);  // far smaller than the blob: the download waits for the reader
  taps.expect(job.blob.digest);
  BlobDownloads pull{world.store, "ns", "", locks, {}, &taps};
  std::string read;
  std::thread unpack([&] {
    auto source = taps.open(job.blob, {});
    REQUIRE(source);
    char buffer[1500];
    for (std::size_t n; (n = source->bytes(buffer, sizeof buffer)) > 0;) read.append(buffer, n);
    source->verified();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the unpack waits in open() for the ingest
  downloadBlob(pull, job, registry.fetch(), {});
  unpack.join();
  CHECK(read == registry.bytes);
  CHECK(world.recorded("ns", job.blob.digest));
}
