// The meeting point of a pull's downloads and its unpack, without a network:
// the download's side is driven by hand, the unpack's side reads.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <tenon/error.hpp>
#include <thread>

#include "pull/layer_taps.hpp"

using namespace tenon;
using tenon::pull::LayerTaps;

namespace {

const std::string kDigest = "sha256:" + std::string(64, 'b');
metadata::Descriptor layer() { return {"application/vnd.oci.image.layer.v1.tar+gzip", kDigest, 0, {}}; }

std::string readAll(const unpack::ByteSource& source) {
  std::string out;
  char buffer[7];
  for (std::size_t n; (n = source(buffer, sizeof buffer)) > 0;) out.append(buffer, n);
  return out;
}

void settle() { std::this_thread::sleep_for(std::chrono::milliseconds(50)); }

}  // namespace

TEST_CASE("an unpack that asks before the first write reads the download's bytes through a bounded tap") {
  LayerTaps taps(16);
  taps.expect(kDigest);
  taps.opened(kDigest, 0);
  std::optional<LayerTaps::Source> source = taps.open(layer(), {});
  REQUIRE(source);
  std::shared_ptr<transfer::BytePipe> tap = taps.writing(kDigest);
  REQUIRE(tap);

  std::atomic<bool> wrote{false};
  std::string sent;
  std::thread download([&] {
    for (int i = 0; i < 10; ++i) {
      std::string chunk = "chunk-" + std::to_string(i) + "-0123456789";
      tap->write(chunk.data(), chunk.size());
      sent += chunk;
    }
    wrote = true;
    tap->close();
  });
  settle();
  CHECK_FALSE(wrote);  // the tap is full: the download waits for the unpack
  std::string received = readAll(source->bytes);
  download.join();
  CHECK(received == sent);

  std::atomic<bool> verified{false};
  std::thread unpack([&] {
    source->verified();  // waits for the store's commit
    verified = true;
  });
  settle();
  CHECK_FALSE(verified);
  taps.stored(kDigest);
  unpack.join();
  CHECK(verified);
}

TEST_CASE("a download that fails fails the unpack's reads and its verification with the same error") {
  LayerTaps taps(1024);
  taps.expect(kDigest);
  taps.opened(kDigest, 0);
  auto source = taps.open(layer(), {});
  REQUIRE(source);
  auto tap = taps.writing(kDigest);
  tap->write("partial", 7);
  taps.failed(kDigest, TENON_UNAVAILABLE, "layer " + kDigest + ": registry gone");
  CHECK_THROWS_WITH_AS(readAll(source->bytes), doctest::Contains("registry gone"), Error);
  CHECK_THROWS_WITH_AS(source->verified(), doctest::Contains("registry gone"), Error);
  CHECK_THROWS_WITH_AS(taps.open(layer(), {}), doctest::Contains("registry gone"), Error);
}

TEST_CASE("an unpack that stops reading fails the tap, so that the download is not left waiting") {
  LayerTaps taps(8);
  taps.expect(kDigest);
  taps.opened(kDigest, 0);
  auto source = taps.open(layer(), {});
  REQUIRE(source);
  auto tap = taps.writing(kDigest);
  std::thread download([&] {
    try {
      for (;;) tap->write("0123456789", 10);
    } catch (const Error& e) {
      CHECK(e.code() == TENON_CANCELLED);
      CHECK(std::string(e.what()).find("the unpack stopped reading " + kDigest) != std::string::npos);
    }
  });
  char buffer[4];
  CHECK(source->bytes(buffer, sizeof buffer) > 0);
  settle();
  source.reset();  // the unpack failed: its stream goes
  download.join();
}

TEST_CASE("a layer already being written, or resumed, is read from the store once committed") {
  LayerTaps taps;
  taps.expect(kDigest);
  taps.opened(kDigest, 4096);  // a resumed ingest: the unpack cannot have the first bytes
  std::atomic<bool> returned{false};
  std::optional<LayerTaps::Source> source;
  std::thread unpack([&] {
    source = taps.open(layer(), {});
    returned = true;
  });
  settle();
  CHECK_FALSE(returned);
  taps.stored(kDigest);
  unpack.join();
  CHECK_FALSE(source.has_value());
  CHECK_FALSE(taps.writing(kDigest));  // no tap was attached
}

TEST_CASE("a layer the pull does not download comes from the store at once; a wait ends on stop") {
  LayerTaps taps;
  CHECK_FALSE(taps.open(layer(), {}).has_value());
  taps.expect(kDigest);
  std::stop_source stop;
  std::thread unpack([&] {
    CHECK_THROWS_WITH_AS(taps.open(layer(), stop.get_token()), doctest::Contains("cancelled"), Error);
  });
  settle();
  stop.request_stop();
  unpack.join();
}
