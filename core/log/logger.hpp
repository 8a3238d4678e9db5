// Structured log lines in logfmt (time=... level=info msg="..." key=value),
// the shape containerd's users grep for. One Logger, built by main and passed
// by reference; safe to use from any thread.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tenon::log {

enum class Level { error = 0, warn, info, debug, trace };

std::optional<Level> parseLevel(std::string_view name);
std::string_view levelName(Level level);

using Field = std::pair<std::string_view, std::string_view>;
using Fields = std::initializer_list<Field>;

class Logger {
 public:
  explicit Logger(Level level = Level::info, std::FILE* out = stderr) : level_(level), out_(out) {}

  void setLevel(Level level) { level_ = level; }
  Level level() const { return level_; }
  bool enabled(Level level) const { return level <= level_; }

  void log(Level level, std::string_view message, Fields fields = {});
  void error(std::string_view m, Fields f = {}) { log(Level::error, m, f); }
  void warn(std::string_view m, Fields f = {}) { log(Level::warn, m, f); }
  void info(std::string_view m, Fields f = {}) { log(Level::info, m, f); }
  void debug(std::string_view m, Fields f = {}) { log(Level::debug, m, f); }

 private:
  Level level_;
  std::FILE* out_;
  std::mutex mutex_;
};

// Quotes a logfmt value when it needs it (spaces, quotes, '=', control bytes).
std::string quoteValue(std::string_view value);

}  // namespace tenon::log
