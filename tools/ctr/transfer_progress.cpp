#include "transfer_progress.hpp"

#include <fmt/core.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include "connection.hpp"
#include "human.hpp"

namespace tenon::ctr {
namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

class SinkImpl final : public rpc::ProgressSink::Server {
 public:
  explicit SinkImpl(std::shared_ptr<TransferProgress> progress) : progress_(std::move(progress)) {}

 protected:
  kj::Promise<void> update(UpdateContext context) override {
    progress_->event(context.getParams().getEvent());
    return kj::READY_NOW;
  }

 private:
  std::shared_ptr<TransferProgress> progress_;
};

// Live lines must not wrap: the redraw moves up one row per line.
size_t terminalColumns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace

rpc::ProgressSink::Client progressSink(std::shared_ptr<TransferProgress> progress) {
  return kj::heap<SinkImpl>(std::move(progress));
}

TransferProgress::TransferProgress(bool quiet) : quiet_(quiet), live_(!quiet && ::isatty(STDERR_FILENO) == 1) {}

TransferProgress::~TransferProgress() { finish(); }

double TransferProgress::seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

void TransferProgress::event(rpc::ProgressEvent::Reader event) {
  if (quiet_) return;
  std::string kind = toString(event.getKind());
  std::string message = toString(event.getMessage());
  BlobState blob{toString(event.getRef()), toString(event.getDigest()), event.getBytes(), event.getTotal()};
  if (kind == "warning") {
    ready_.push_back("warning: " + message);
  } else if (kind == "resolve") {
    ready_.push_back(fmt::format("{}: resolved {}", blob.ref, blob.digest));
  } else if (kind == "manifest") {
    ready_.push_back(fmt::format("manifest {} made for {}", blob.digest, blob.ref));
  } else if (kind == "blob") {
    blobEvent(blob, event.getDone(), message);
  } else if (kind == "unpack") {
    unpackEvent(blob, event.getDone(), message);
  }
  redraw(false);
}

void TransferProgress::blobEvent(const BlobState& blob, bool done, const std::string& message) {
  track(blob, done);
  if (!done) {
    if (!message.empty()) ready_.push_back(finishedLine(blob, message));  // "retrying: ..." stays in view
    return;
  }
  ++blobs_;
  bytes_ += blob.bytes;
  if (message.empty())
    moved_ += blob.bytes;
  else
    ++skipped_;
  ready_.push_back(finishedLine(blob, message));
}

void TransferProgress::track(const BlobState& blob, bool done) {
  auto it = std::find_if(active_.begin(), active_.end(), [&](const Line& line) {
    return line.blob.ref == blob.ref && line.blob.digest == blob.digest;
  });
  if (done) {
    if (it != active_.end()) active_.erase(it);
    return;
  }
  if (it == active_.end()) it = active_.insert(active_.end(), Line{blob, {}});
  it->blob = blob;
  it->rate.add(Clock::now(), blob.bytes);
}

// A layer's events name it by digest; an image's last event by its name, with its top chain ID.
void TransferProgress::unpackEvent(BlobState blob, bool done, const std::string& message) {
  if (!blob.ref.starts_with("sha256:")) {
    if (done) ready_.push_back(fmt::format("unpacked {}: chain {}", blob.ref, blob.digest));
    return;
  }
  blob = {"unpack", blob.ref, blob.bytes, blob.total};  // labelled by the layer's digest, not its chain ID
  track(blob, done);
  if (!done) return;
  ++layers_;
  if (message.empty()) ++unpacked_;
  ready_.push_back(finishedLine(blob, message));
}

void TransferProgress::redraw(bool force) {
  if (!live_) {
    // Logs get each finished line once, and no live ones.
    for (const auto& text : ready_) fmt::print(stderr, "{}\n", text);
    ready_.clear();
    return;
  }
  Clock::time_point now = Clock::now();
  if (!force && now - drawnAt_ < kRedrawEvery) return;
  drawnAt_ = now;
  // Back to the first live line, clear to the end of the screen, then print what stays
  // and the live lines again.
  if (drawn_ > 0) fmt::print(stderr, "\033[{}F\033[J", drawn_);
  for (const auto& text : ready_) fmt::print(stderr, "{}\n", text);
  ready_.clear();
  size_t columns = terminalColumns();
  for (const auto& line : active_) {
    std::string text = activeLine(line.blob, line.rate.perSecond());
    fmt::print(stderr, "{}\n", text.substr(0, columns - 1));
  }
  drawn_ = active_.size();
  std::fflush(stderr);
}

void TransferProgress::finish() {
  if (quiet_) return;
  redraw(true);
  if (live_ && drawn_ > 0) {  // lines of blobs that never finished (an error): erased
    fmt::print(stderr, "\033[{}F\033[J", drawn_);
    drawn_ = 0;
    active_.clear();
  }
}

}  // namespace tenon::ctr
