#include "oci/spec_text.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

namespace tenon::oci {

namespace {
// A 1 MiB argument would drown the message it is quoted in.
constexpr std::size_t kQuotedBytes = 120;
}  // namespace

std::string quoted(std::string_view value) {
  std::string text = fmt::format("{:?}", value.substr(0, kQuotedBytes));
  if (value.size() > kQuotedBytes) text += fmt::format("... ({} bytes)", value.size());
  return text;
}

void refuse(std::string_view what, std::string_view value, std::string_view why) {
  fail(TENON_INVALID_ARGUMENT, fmt::format("invalid {} {}: {}", what, quoted(value), why));
}

void requireSpecText(std::string_view what, std::string_view value) {
  if (value.find('\0') != std::string_view::npos) refuse(what, value, "it holds a NUL byte");
  // nlohmann's serializer is the UTF-8 check the spec will meet anyway; running it
  // here turns a late, anonymous type_error into an error naming the field.
  try {
    (void)nlohmann::json(std::string(value)).dump();
  } catch (const nlohmann::json::type_error&) {
    refuse(what, value, "it is not valid UTF-8");
  }
}

std::vector<std::string_view> splitAll(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace tenon::oci
