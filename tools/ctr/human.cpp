#include "human.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace tenon::ctr {

std::string humanSize(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  constexpr std::array<const char*, 6> kUnits = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  // Switch units before rounding would print "1024.0 KiB".
  while (value >= 1023.95 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

// The thresholds of go-units' HumanDuration, which containerd's ctr prints.
std::string humanDuration(std::chrono::nanoseconds elapsed) {
  using namespace std::chrono;
  auto seconds = duration_cast<std::chrono::seconds>(elapsed).count();
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return fmt::format("{} seconds", seconds);
  auto minutes = seconds / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return fmt::format("{} minutes", minutes);
  auto hours = static_cast<int64_t>(std::round(static_cast<double>(seconds) / 3600));
  if (hours == 1) return "About an hour";
  if (hours < 48) return fmt::format("{} hours", hours);
  if (hours < 24 * 7 * 2) return fmt::format("{} days", hours / 24);
  if (hours < 24 * 30 * 2) return fmt::format("{} weeks", hours / 24 / 7);
  if (hours < 24 * 365 * 2) return fmt::format("{} months", hours / 24 / 30);
  return fmt::format("{} years", seconds / 3600 / 24 / 365);
}

std::string humanAge(int64_t unixNanos) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(now) - std::chrono::nanoseconds(unixNanos);
  return humanDuration(std::max(elapsed, std::chrono::nanoseconds(0)));
}

}  // namespace tenon::ctr
