#include "json_output.hpp"

#include <fmt/core.h>
#include <time.h>

namespace tenon::ctr {

void printJson(const Json& document) {
  fmt::print("{}\n", document.dump(2, ' ', false, Json::error_handler_t::replace));
}

std::string rfc3339(int64_t unixNanos) {
  constexpr int64_t kNanosPerSecond = 1'000'000'000;
  int64_t seconds = unixNanos / kNanosPerSecond, nanos = unixNanos % kNanosPerSecond;
  if (nanos < 0) {  // before 1970: keep the fraction positive
    nanos += kNanosPerSecond;
    --seconds;
  }
  time_t time = static_cast<time_t>(seconds);
  tm utc{};
  ::gmtime_r(&time, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, nanos);
}

Json toJson(const Labels& labels) {
  Json object = Json::object();
  for (const auto& [key, value] : labels) object[key] = value;
  return object;
}

}  // namespace tenon::ctr
