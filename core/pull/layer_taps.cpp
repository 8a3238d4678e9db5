#include "pull/layer_taps.hpp"

#include <tenon/error.hpp>

namespace tenon::pull {

namespace {

// The unpack's end of a tap. Dropped before the end (the unpack failed or was
// cancelled), it fails the pipe, so that a download waiting for room goes on.
class TapReader {
 public:
  TapReader(std::shared_ptr<transfer::BytePipe> pipe, std::string digest)
      : pipe_(std::move(pipe)), digest_(std::move(digest)) {}
  TapReader(const TapReader&) = delete;
  TapReader& operator=(const TapReader&) = delete;
  ~TapReader() {
    if (!ended_) pipe_->fail(TENON_CANCELLED, "the unpack stopped reading " + digest_);
  }

  std::size_t read(void* buffer, std::size_t max) {
    std::size_t n = pipe_->read(buffer, max);
    ended_ = n == 0;
    return n;
  }

 private:
  std::shared_ptr<transfer::BytePipe> pipe_;
  std::string digest_;
  bool ended_ = false;
};

}  // namespace

void LayerTaps::expect(const std::string& digest) {
  std::lock_guard lock(mutex_);
  blobs_.try_emplace(digest);
}

LayerTaps::Blob* LayerTaps::find(const std::string& digest) {
  auto it = blobs_.find(digest);
  return it == blobs_.end() ? nullptr : &it->second;
}

void LayerTaps::set(const std::string& digest, State state) {
  {
    std::lock_guard lock(mutex_);
    if (Blob* b = find(digest)) b->state = state;
  }
  changed_.notify_all();
}

void LayerTaps::opened(const std::string& digest, std::int64_t offset) {
  {
    std::lock_guard lock(mutex_);
    Blob* b = find(digest);
    if (!b) return;
    b->state = offset == 0 ? State::opened : State::writing;
    // The waiting unpack may wake after the first write: its tap must be there before.
    if (b->state == State::opened && b->wanted && !b->tap) b->tap = std::make_shared<transfer::BytePipe>(capacity_);
  }
  changed_.notify_all();
}

std::shared_ptr<transfer::BytePipe> LayerTaps::writing(const std::string& digest) {
  std::shared_ptr<transfer::BytePipe> tap;
  {
    std::lock_guard lock(mutex_);
    if (Blob* b = find(digest)) {
      b->state = State::writing;
      tap = b->tap;
    }
  }
  changed_.notify_all();
  return tap;
}

void LayerTaps::stored(const std::string& digest) { set(digest, State::stored); }

void LayerTaps::failed(const std::string& digest, tenon_status code, const std::string& message) {
  std::shared_ptr<transfer::BytePipe> tap;
  {
    std::lock_guard lock(mutex_);
    Blob* b = find(digest);
    if (!b) return;
    b->state = State::failed;
    b->code = code;
    b->message = message;
    tap = std::move(b->tap);
  }
  changed_.notify_all();
  if (tap) tap->fail(code, message);
}

void LayerTaps::waitStored(const std::string& digest, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  Blob* b = find(digest);
  if (!b) return;  // not this pull's to download
  if (!changed_.wait(lock, stop, [&] { return b->state == State::stored || b->state == State::failed; }))
    fail(TENON_CANCELLED, "cancelled while waiting for the download of " + digest);
  if (b->state == State::failed) fail(b->code, b->message);
}

std::optional<LayerTaps::Source> LayerTaps::open(const metadata::Descriptor& layer, std::stop_token stop) {
  {
    std::unique_lock lock(mutex_);
    Blob* b = find(layer.digest);
    if (!b) return std::nullopt;  // not this pull's to download: in the store
    b->wanted = true;
    if (!changed_.wait(lock, stop, [&] { return b->state != State::pending; }))
      fail(TENON_CANCELLED, "cancelled while waiting for the download of " + layer.digest);
    if (b->state == State::failed) fail(b->code, b->message);
    if (b->state == State::opened && !b->tap) b->tap = std::make_shared<transfer::BytePipe>(capacity_);
    if (b->tap && !b->claimed) {
      b->claimed = true;
      auto reader = std::make_shared<TapReader>(b->tap, layer.digest);
      return Source{[reader](void* buffer, std::size_t max) { return reader->read(buffer, max); },
                    [this, digest = layer.digest, stop] { waitStored(digest, stop); }};
    }
  }
  waitStored(layer.digest, stop);
  return std::nullopt;
}

}  // namespace tenon::pull
