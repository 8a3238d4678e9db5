// The progress of a pull, push, import, export or unpack as the daemon reports it
// (ProgressSink events), on stderr: on a terminal, one live line per blob in flight
// (role, short digest, bar, bytes / total, speed over the last second), redrawn in
// place, and a line that stays for each blob done and each message ("exists",
// "resuming at N bytes", "retrying: ..."); otherwise those lines only, plain, for
// logs; with --quiet nothing. Warnings are printed in every mode but quiet.
#ifndef TENON_CTR_TRANSFER_PROGRESS_HPP
#define TENON_CTR_TRANSFER_PROGRESS_HPP

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "progress_line.hpp"
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

  int64_t blobs() const { return blobs_; }          // blobs done
  int64_t skipped() const { return skipped_; }      // of them, those that needed no bytes ("exists", "mounted")
  int64_t bytes() const { return bytes_; }          // the sizes of the blobs done
  int64_t moved() const { return moved_; }          // the bytes of those that were sent or fetched
  int64_t layers() const { return layers_; }        // layers unpacked, or found unpacked already
  int64_t unpacked() const { return unpacked_; }    // of them, those unpacked now
  double seconds() const;                           // since the start

 private:
  using Clock = std::chrono::steady_clock;
  struct Line {
    BlobState blob;
    RateMeter rate;
  };

  void blobEvent(const BlobState& blob, bool done, const std::string& message);
  // Follows `blob` among the live lines (by ref and digest) until it is done.
  void track(const BlobState& blob, bool done);
  void unpackEvent(BlobState blob, bool done, const std::string& message);
  void redraw(bool force);

  bool quiet_, live_;
  std::vector<Line> active_;        // blobs in flight, in the order they started
  std::vector<std::string> ready_;  // lines to print once, above the live ones
  size_t drawn_ = 0;                // live lines on screen
  int64_t blobs_ = 0, skipped_ = 0, bytes_ = 0, moved_ = 0, layers_ = 0, unpacked_ = 0;
  Clock::time_point start_ = Clock::now();
  Clock::time_point drawnAt_{};
};

// The ProgressSink capability ctr hands the daemon; events go to `progress`.
rpc::ProgressSink::Client progressSink(std::shared_ptr<TransferProgress> progress);

}  // namespace tenon::ctr

#endif  // TENON_CTR_TRANSFER_PROGRESS_HPP
