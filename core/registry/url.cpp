#include "registry/url.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>
#include <tenon/error.hpp>

namespace tenon::registry {
namespace {

struct UrlFree {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlFree>;

std::string part(CURLU* url, CURLUPart which, unsigned flags = 0) {
  char* text = nullptr;
  if (curl_url_get(url, which, &text, flags) != CURLUE_OK) return {};
  std::string value = text;
  curl_free(text);
  return value;
}

// Parses `text` (relative to what `url` already holds, if anything) and
// refuses schemes other than http(s): a registry must not send us to file:// or ftp://.
void setUrl(CURLU* url, const std::string& text) {
  if (curl_url_set(url, CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
    fail(TENON_INVALID_ARGUMENT, fmt::format("invalid URL \"{}\"", text));
  std::string scheme = part(url, CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https")
    fail(TENON_INVALID_ARGUMENT, fmt::format("URL \"{}\" is not http or https", text));
}

UrlHandle parse(const std::string& text) {
  UrlHandle url(curl_url());
  if (!url) throw std::bad_alloc();
  setUrl(url.get(), text);
  return url;
}

}  // namespace

std::string urlOrigin(const std::string& url) {
  auto parsed = parse(url);
  return part(parsed.get(), CURLUPART_SCHEME) + "://" + part(parsed.get(), CURLUPART_HOST) + ":" +
         part(parsed.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
}

std::string resolveUrl(const std::string& base, const std::string& location) {
  auto parsed = parse(base);
  setUrl(parsed.get(), location);
  return part(parsed.get(), CURLUPART_URL);
}

std::string withQuery(const std::string& url, std::string_view name, std::string_view value) {
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  return fmt::format("{}{}{}={}", url, separator, name, percentEncode(value));
}

std::string percentEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

}  // namespace tenon::registry
