// ctr's progress lines: what a user reads while a pull or push goes on.
#include <doctest/doctest.h>

#include "../../../tools/ctr/progress_line.hpp"

using namespace tenon::ctr;
using namespace std::chrono_literals;

namespace {

const std::string kDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

}  // namespace

TEST_CASE("ctr progress: a pulled blob is labelled by its role and short digest") {
  CHECK(blobLabel({"layer", kDigest, 0, 10}) == "layer    sha256:0123456789ab");
  CHECK(blobLabel({"manifest", kDigest, 0, 10}) == "manifest sha256:0123456789ab");
}

TEST_CASE("ctr progress: an archive entry naming the digest is not labelled twice, and long ones are cut") {
  std::string entry = "blobs/sha256/" + kDigest.substr(7);
  std::string label = blobLabel({entry, kDigest, 0, 10});
  CHECK(label == "blobs/sha256/0123456789ab...");
  CHECK(blobLabel({"oci-layout", "", 0, 2}) == "oci-layout                  ");
}

TEST_CASE("ctr progress: a live line has a bar, bytes of total, and the speed") {
  BlobState half{"layer", kDigest, 1 << 20, 2 << 20};
  CHECK(activeLine(half, 512 * 1024) ==
        "layer    sha256:0123456789ab  [======      ]  1.0 MiB / 2.0 MiB  512.0 KiB/s");
  CHECK(activeLine(half, -1).ends_with("1.0 MiB / 2.0 MiB"));
  BlobState unknown{"layer", kDigest, 3000, -1};
  CHECK(activeLine(unknown, -1) == "layer    sha256:0123456789ab  2.9 KiB");
  BlobState over{"layer", kDigest, 5, 4};  // never more bar than its width
  CHECK(activeLine(over, -1).find("[============]") != std::string::npos);
}

TEST_CASE("ctr progress: a finished line says done and the size, or the message") {
  CHECK(finishedLine({"config", kDigest, 1536, 1536}, "") == "config   sha256:0123456789ab  done      1.5 KiB");
  CHECK(finishedLine({"layer", kDigest, 1536, 1536}, "exists") == "layer    sha256:0123456789ab  exists");
}

TEST_CASE("ctr progress: the speed is measured over the last second") {
  RateMeter rate;
  auto start = RateMeter::Clock::time_point{};
  CHECK(rate.perSecond() == -1);
  rate.add(start, 0);
  rate.add(start + 50ms, 1000);
  CHECK(rate.perSecond() == -1);  // too short a span to say
  rate.add(start + 500ms, 5000);
  CHECK(rate.perSecond() == doctest::Approx(10000));
  // Fast at first, then slow: only the last second counts.
  rate.add(start + 3000ms, 5000 + 100);
  rate.add(start + 3500ms, 5000 + 200);
  rate.add(start + 4000ms, 5000 + 300);
  CHECK(rate.perSecond() == doctest::Approx(200));
}
