#include "unpack/platform_choice.hpp"

#include <tenon/error.hpp>
#include <vector>

#include "metadata/validation.hpp"

namespace tenon::unpack {

bool PlatformChoice::accepts(const images::Platform& offered) const {
  if (!strict) return images::matches(platform, offered);
  images::Platform a = images::normalize(platform), b = images::normalize(offered);
  return a.os == b.os && a.architecture == b.architecture && (a.variant.empty() || a.variant == b.variant);
}

PlatformChoice choosePlatform(std::string_view text) {
  if (text.empty()) return {images::hostPlatform(), false};
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    std::size_t end = text.find('/', start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  bool wellFormed = parts.size() >= 2 && parts.size() <= 3;
  for (const std::string& part : parts) wellFormed = wellFormed && !part.empty();
  if (!wellFormed)
    fail(TENON_INVALID_ARGUMENT, "platform " + metadata::quote(text) + " is not os/architecture[/variant]");
  return {images::normalize({parts[0], parts[1], parts.size() == 3 ? parts[2] : ""}), true};
}

}  // namespace tenon::unpack
