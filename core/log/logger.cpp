#include "log/logger.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <array>
#include <chrono>

namespace tenon::log {

namespace {
constexpr std::array<std::string_view, 5> kLevelNames = {"error", "warn", "info", "debug", "trace"};
}

std::optional<Level> parseLevel(std::string_view name) {
  for (size_t i = 0; i < kLevelNames.size(); ++i)
    if (kLevelNames[i] == name) return static_cast<Level>(i);
  if (name == "warning") return Level::warn;
  return std::nullopt;
}

std::string_view levelName(Level level) { return kLevelNames[static_cast<size_t>(level)]; }

std::string quoteValue(std::string_view value) {
  bool plain = !value.empty();
  for (unsigned char c : value)
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) plain = false;
  if (plain) return std::string(value);
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < ' ' || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

void Logger::log(Level level, std::string_view message, Fields fields) {
  if (!enabled(level)) return;
  auto now = std::chrono::system_clock::now();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()) % 1000000;
  std::string line = fmt::format("time=\"{:%Y-%m-%dT%H:%M:%S}.{:06d}Z\" level={} msg={}",
                                 fmt::gmtime(std::chrono::system_clock::to_time_t(now)),
                                 micros.count(), levelName(level), quoteValue(message));
  for (const auto& [key, value] : fields) fmt::format_to(std::back_inserter(line), " {}={}", key, quoteValue(value));
  line += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace tenon::log
