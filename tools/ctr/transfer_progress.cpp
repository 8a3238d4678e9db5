#include "transfer_progress.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>

#include "connection.hpp"
#include "human.hpp"

namespace tenon::ctr {
namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(100);
constexpr size_t kRefWidth = 40;
constexpr int kBarWidth = 20;

// Long refs ("blobs/sha256/<64 hex digits>") are cut in the middle's stead at the end.
std::string shortRef(const std::string& ref) {
  return ref.size() <= kRefWidth ? ref : ref.substr(0, kRefWidth - 3) + "...";
}

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

}  // namespace

rpc::ProgressSink::Client progressSink(std::shared_ptr<TransferProgress> progress) {
  return kj::heap<SinkImpl>(std::move(progress));
}

TransferProgress::TransferProgress(bool quiet) : quiet_(quiet), live_(!quiet && ::isatty(STDERR_FILENO) == 1) {}

TransferProgress::~TransferProgress() { finish(); }

double TransferProgress::seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

std::string TransferProgress::format(const Line& line, bool done) const {
  std::string ref = fmt::format("{:<{}}", shortRef(line.ref), kRefWidth);
  if (done) return fmt::format("{}  done      {}", ref, humanSize(line.bytes));
  if (line.total <= 0) return fmt::format("{}  {}", ref, humanSize(line.bytes));
  int filled = static_cast<int>(kBarWidth * std::min<int64_t>(line.bytes, line.total) / line.total);
  return fmt::format("{}  [{}{}]  {} / {}", ref, std::string(static_cast<size_t>(filled), '='),
                     std::string(static_cast<size_t>(kBarWidth - filled), ' '), humanSize(line.bytes),
                     humanSize(line.total));
}

void TransferProgress::event(rpc::ProgressEvent::Reader event) {
  if (quiet_) return;
  std::string kind = toString(event.getKind());
  Line line{toString(event.getRef()), toString(event.getDigest()), event.getBytes(), event.getTotal()};
  if (kind == "warning") {
    ready_.push_back("warning: " + toString(event.getMessage()));
  } else if (kind == "manifest") {
    ready_.push_back(fmt::format("manifest {} made for {}", line.digest, line.ref));
  } else if (kind == "blob") {
    if (track(line, event.getDone())) {
      ++blobs_;
      bytes_ += line.bytes;
      ready_.push_back(format(line, true));
    }
  } else if (kind == "unpack") {
    unpackEvent(line, event.getDone(), toString(event.getMessage()));
  }
  redraw(false);
}

bool TransferProgress::track(const Line& line, bool done) {
  auto it = std::find_if(active_.begin(), active_.end(), [&](const Line& l) { return l.ref == line.ref; });
  if (done) {
    if (it != active_.end()) active_.erase(it);
  } else if (it != active_.end()) {
    *it = line;
  } else {
    active_.push_back(line);
  }
  return done;
}

// A layer's events name it by digest; an image's last event by its name, with its top chain ID.
void TransferProgress::unpackEvent(Line line, bool done, const std::string& message) {
  if (!line.ref.starts_with("sha256:")) {
    if (done) ready_.push_back(fmt::format("unpacked {}: chain {}", line.ref, line.digest));
    return;
  }
  line.ref = "unpack " + line.ref;
  if (!track(line, done)) return;
  ++layers_;
  if (message.empty()) ++unpacked_;
  ready_.push_back(message.empty() ? format(line, true)
                                   : fmt::format("{:<{}}  {}", shortRef(line.ref), kRefWidth, message));
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
  for (const auto& line : active_) fmt::print(stderr, "{}\n", format(line, false));
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
