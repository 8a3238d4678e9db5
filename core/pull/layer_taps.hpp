// Where a pull's downloads and its unpack meet: the unpack's LayerFeed. Each
// blob the pull downloads moves through pending (not started, or waiting for
// another pull's download of it) → opened (its ingest is open at offset 0,
// nothing written yet) → writing → stored, or failed.
//
// An unpack that asks for a layer still opened attaches a tap: a bounded
// in-memory pipe the download pushes each chunk into as it writes it to the
// store, so that decompression and tar application run with the download
// instead of after it. A layer already being written (a resumed ingest, or
// one the unpack asked for too late) is read from the store once committed.
// Either side failing reaches the other: the download's error fails the
// unpack's reads and `verified`; an unpack that stops reading fails the tap,
// and the download goes on storing the blob without it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <tenon/status.h>

#include "transfer/byte_pipe.hpp"
#include "unpack/layer_feed.hpp"

namespace tenon::pull {

// How far a download may run ahead of the unpack reading it.
inline constexpr std::size_t kTapCapacity = std::size_t{8} << 20;

class LayerTaps final : public unpack::LayerFeed {
 public:
  explicit LayerTaps(std::size_t capacity = kTapCapacity) : capacity_(capacity) {}

  // Before the downloads start: a blob this pull downloads. Others are read from the store.
  void expect(const std::string& digest);

  // The download's side, in this order (blobs not expected are ignored). The ingest is open at `offset`: at 0
  // (nothing written) a tap may attach until writing().
  void opened(const std::string& digest, std::int64_t offset);
  // Before the first byte is written: the tap attached, if any (else null).
  std::shared_ptr<transfer::BytePipe> writing(const std::string& digest);
  // Committed and recorded in the namespace (or there already).
  void stored(const std::string& digest);
  // The download failed (or was cancelled); a tap attached fails with the same error.
  void failed(const std::string& digest, tenon_status code, const std::string& message);

  // Blocks until `digest` is stored; throws its download's error, or
  // cancelled once `stop` is triggered.
  void waitStored(const std::string& digest, std::stop_token stop);

  std::optional<Source> open(const metadata::Descriptor& layer, std::stop_token stop) override;

 private:
  enum class State { pending, opened, writing, stored, failed };
  struct Blob {
    State state = State::pending;
    bool wanted = false;   // an unpack waits for it: opened() attaches the tap itself
    bool claimed = false;  // an unpack took the tap
    std::shared_ptr<transfer::BytePipe> tap;
    tenon_status code = TENON_OK;  // when failed
    std::string message;
  };
  Blob* find(const std::string& digest);  // mutex_ held; null when not expected
  void set(const std::string& digest, State state);

  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable_any changed_;
  std::map<std::string, Blob> blobs_;
};

}  // namespace tenon::pull
