#include "progress.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include "human.hpp"

namespace tenon::ctr {
namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(200);
// Back to the start of the line and clear it: the line is redrawn, never scrolled.
constexpr const char* kClearLine = "\r\033[K";

}  // namespace

Progress::Progress(std::string label) : enabled_(::isatty(STDERR_FILENO) == 1), label_(std::move(label)) {}

Progress::~Progress() { clear(); }

void Progress::clear() {
  if (!enabled_ || drawn_ == Clock::time_point{}) return;
  fmt::print(stderr, "{}", kClearLine);
  std::fflush(stderr);
  drawn_ = Clock::time_point{};
}

void Progress::update(int64_t bytes) {
  if (!enabled_) return;
  Clock::time_point now = Clock::now();
  if (now - drawn_ < kRedrawEvery) return;
  drawn_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  auto perSecond = static_cast<int64_t>(seconds > 0 ? static_cast<double>(bytes) / seconds : 0);
  fmt::print(stderr, "{}{}  {}  {}/s", kClearLine, label_, humanSize(bytes), humanSize(perSecond));
  std::fflush(stderr);
}

}  // namespace tenon::ctr
