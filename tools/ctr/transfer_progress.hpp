// The progress of an import, export or unpack as the daemon reports it (ProgressSink events),
// on stderr: on a terminal, one live line per blob in flight, redrawn in place, and a
// line that stays for each blob done; otherwise one plain line per blob done, for logs;
// with --quiet nothing. Warnings (blobs left out) are printed in every mode but quiet.
#ifndef TENON_CTR_TRANSFER_PROGRESS_HPP
#define TENON_CTR_TRANSFER_PROGRESS_HPP

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "transfer.capnp.h"

namespace tenon::ctr {

class TransferProgress {
 public:
  explicit TransferProgress(bool quiet);
  // finish(): an error that ends the transfer starts on a clean line.
  ~TransferProgress();
  TransferProgress(const TransferProgress&) = delete;
  TransferProgress& operator=(const TransferProgress&) = delete;

  void event(rpc::ProgressEvent::Reader event);
  // Draws the last state and leaves the live lines behind.
  void finish();

  int64_t blobs() const { return blobs_; }       // blobs done
  int64_t layers() const { return layers_; }      // layers unpacked, or found unpacked already
  int64_t unpacked() const { return unpacked_; }  // of them, those unpacked now
  int64_t bytes() const { return bytes_; }       // their bytes
  double seconds() const;                        // since the start

 private:
  struct Line {
    std::string ref, digest;
    int64_t bytes = 0, total = -1;
  };
  using Clock = std::chrono::steady_clock;

  // Follows `line` among the live ones; whether it is done.
  bool track(const Line& line, bool done);
  void unpackEvent(Line line, bool done, const std::string& message);
  void redraw(bool force);
  std::string format(const Line& line, bool done) const;

  bool quiet_, live_;
  std::vector<Line> active_;        // blobs in flight, in the order they started
  std::vector<std::string> ready_;  // lines to print once, above the live ones
  size_t drawn_ = 0;                // live lines on screen
  int64_t blobs_ = 0, bytes_ = 0, layers_ = 0, unpacked_ = 0;
  Clock::time_point start_ = Clock::now();
  Clock::time_point drawnAt_{};
};

// The ProgressSink capability ctr hands the daemon; events go to `progress`.
rpc::ProgressSink::Client progressSink(std::shared_ptr<TransferProgress> progress);

}  // namespace tenon::ctr

#endif  // TENON_CTR_TRANSFER_PROGRESS_HPP
