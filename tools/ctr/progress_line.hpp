// The text of one blob's progress line, as TransferProgress draws it: pure
// functions of the blob's state (and of a speed measured by a RateMeter), so
// that what users read can be tested without a terminal.
#ifndef TENON_CTR_PROGRESS_LINE_HPP
#define TENON_CTR_PROGRESS_LINE_HPP

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>

namespace tenon::ctr {

struct BlobState {
  std::string ref;     // a role ("layer") for pulls and pushes; an archive entry for imports
  std::string digest;  // "sha256:..." or ""
  int64_t bytes = 0;
  int64_t total = -1;  // -1 when unknown
};

// "layer    sha256:0123456789ab": the ref, and the digest's first 12 hex
// digits unless the ref names them already ("blobs/sha256/<hex>"); a long
// ref is cut with "...". Padded to a fixed width so that columns line up.
std::string blobLabel(const BlobState& blob);

// "<label>  [=====       ]  1.2 MiB / 3.4 MiB  5.6 MiB/s"; without a known
// total: "<label>  1.2 MiB  5.6 MiB/s". A negative speed is left out.
std::string activeLine(const BlobState& blob, double bytesPerSecond);

// "<label>  done      3.4 MiB", or with a message ("exists", "mounted",
// "retrying: ..."): "<label>  exists".
std::string finishedLine(const BlobState& blob, const std::string& message);

// The speed over the last second of a count that only grows.
class RateMeter {
 public:
  using Clock = std::chrono::steady_clock;

  void add(Clock::time_point at, int64_t bytes);
  // Bytes per second between the oldest sample of the last second and the
  // newest; -1 until samples span a tenth of a second.
  double perSecond() const;

 private:
  std::deque<std::pair<Clock::time_point, int64_t>> samples_;
};

}  // namespace tenon::ctr

#endif  // TENON_CTR_PROGRESS_LINE_HPP
