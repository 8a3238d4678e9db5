#include "progress_line.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "human.hpp"

namespace tenon::ctr {
namespace {

constexpr size_t kLabelWidth = 28;  // "manifest sha256:0123456789ab"
constexpr size_t kShortDigest = 12;  // hex digits, as docker shows image IDs
constexpr int64_t kBarWidth = 12;  // so that a whole line fits 80 columns
constexpr auto kRateWindow = std::chrono::seconds(1);
constexpr auto kRateMinimumSpan = std::chrono::milliseconds(100);

std::string speed(double bytesPerSecond) {
  if (bytesPerSecond < 0) return "";
  return fmt::format("  {}/s", humanSize(static_cast<int64_t>(bytesPerSecond)));
}

}  // namespace

std::string blobLabel(const BlobState& blob) {
  std::string label = blob.ref;
  std::string hex = blob.digest.substr(std::min(blob.digest.find(':') + 1, blob.digest.size()));
  std::string shortHex = hex.substr(0, kShortDigest);
  if (!shortHex.empty() && label.find(shortHex) == std::string::npos) {
    std::string algorithm = blob.digest.substr(0, blob.digest.size() - hex.size());
    label = fmt::format("{:<8} {}{}", label, algorithm, shortHex);
  }
  if (label.size() > kLabelWidth) label = label.substr(0, kLabelWidth - 3) + "...";
  return fmt::format("{:<{}}", label, kLabelWidth);
}

std::string activeLine(const BlobState& blob, double bytesPerSecond) {
  if (blob.total <= 0)
    return fmt::format("{}  {}{}", blobLabel(blob), humanSize(blob.bytes), speed(bytesPerSecond));
  int64_t filled = kBarWidth * std::clamp<int64_t>(blob.bytes, 0, blob.total) / blob.total;
  return fmt::format("{}  [{}{}]  {} / {}{}", blobLabel(blob), std::string(static_cast<size_t>(filled), '='),
                     std::string(static_cast<size_t>(kBarWidth - filled), ' '), humanSize(blob.bytes),
                     humanSize(blob.total), speed(bytesPerSecond));
}

std::string finishedLine(const BlobState& blob, const std::string& message) {
  if (!message.empty()) return fmt::format("{}  {}", blobLabel(blob), message);
  return fmt::format("{}  done      {}", blobLabel(blob), humanSize(blob.bytes));
}

void RateMeter::add(Clock::time_point at, int64_t bytes) {
  samples_.emplace_back(at, bytes);
  // Keep one sample older than the window, so that the window is always spanned.
  while (samples_.size() > 2 && at - samples_[1].first >= kRateWindow) samples_.pop_front();
}

double RateMeter::perSecond() const {
  if (samples_.size() < 2) return -1;
  auto span = samples_.back().first - samples_.front().first;
  if (span < kRateMinimumSpan) return -1;
  double seconds = std::chrono::duration<double>(span).count();
  return static_cast<double>(samples_.back().second - samples_.front().second) / seconds;
}

}  // namespace tenon::ctr
