#include "metadata/validation.hpp"

#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

namespace tenon::metadata {

namespace {

// Longest part of a value quoted in a message: a 4 KiB name would drown it.
constexpr std::size_t kQuotedBytes = 120;

[[noreturn]] void refuse(std::string_view what, std::string_view value, std::string_view why) {
  fail(TENON_INVALID_ARGUMENT, "invalid " + std::string(what) + " " + quote(value) + ": " + std::string(why));
}

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool isAlnum(char c) { return isLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }
bool isIdPunct(char c) { return c == '.' || c == '_' || c == '-'; }
bool isControlOrSpace(unsigned char c) { return c <= 0x20 || c == 0x7f; }

// Length of the UTF-8 sequence starting at s[i], or 0 when it is malformed
// (overlong forms, surrogates and code points past U+10FFFF included).
std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t n = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
  if (n == 0 || lead > 0xf4 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  unsigned char second = byte(i + 1);
  if (lead == 0xe0 && second < 0xa0) return 0;   // overlong
  if (lead == 0xed && second >= 0xa0) return 0;  // surrogate
  if (lead == 0xf0 && second < 0x90) return 0;   // overlong
  if (lead == 0xf4 && second >= 0x90) return 0;  // past U+10FFFF
  return n;
}

bool isUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void checkLength(std::string_view what, std::string_view value, std::size_t max) {
  if (value.empty()) refuse(what, value, "it is empty");
  if (value.size() > max) refuse(what, value, "longer than " + std::to_string(max) + " bytes");
}

}  // namespace

std::string quote(std::string_view value) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < value.size() && i < kQuotedBytes; ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
      out += c == '"' || c == '\\' ? std::string{'\\', static_cast<char>(c)}
                                   : std::string{'\\', 'x', hex[c >> 4], hex[c & 15]};
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  if (value.size() > kQuotedBytes) out += "... (" + std::to_string(value.size()) + " bytes)";
  return out;
}

void validateUtf8(std::string_view what, std::string_view text) {
  if (!isUtf8(text)) refuse(what, text, "not valid UTF-8");
}

void validateNamespace(std::string_view name) {
  constexpr std::string_view what = "namespace";
  checkLength(what, name, kMaxIdentifierBytes);
  if (!isLowerAlnum(name.front()) || !isLowerAlnum(name.back()))
    refuse(what, name, "it must start and end with a lower-case letter or a digit");
  for (char c : name)
    if (!isLowerAlnum(c) && !isIdPunct(c)) refuse(what, name, "use lower-case letters, digits, '.', '_' and '-'");
}

void validateIdentifier(std::string_view what, std::string_view id) {
  checkLength(what, id, kMaxIdentifierBytes);
  if (!isAlnum(id.front())) refuse(what, id, "it must start with a letter or a digit");
  for (char c : id)
    if (!isAlnum(c) && !isIdPunct(c)) refuse(what, id, "use letters, digits, '.', '_' and '-'");
}

void validateImageName(std::string_view name) {
  constexpr std::string_view what = "image name";
  checkLength(what, name, kMaxKeyBytes);
  for (char c : name)
    if (isControlOrSpace(static_cast<unsigned char>(c)))
      refuse(what, name, "whitespace and control characters are not allowed");
  validateUtf8(what, name);
  // A name may end up in paths and archive entries (export): no segment may climb.
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") refuse(what, name, "a \"..\" path segment is not allowed");
    start = end + 1;
  }
}

void validateDigest(std::string_view digest) {
  constexpr std::string_view algorithm = "sha256:";
  auto isHex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  bool ok = digest.size() == algorithm.size() + 64 && digest.starts_with(algorithm);
  for (std::size_t i = algorithm.size(); ok && i < digest.size(); ++i) ok = isHex(digest[i]);
  if (!ok) refuse("digest", digest, "expected \"sha256:\" and 64 lower-case hex digits");
}

void validateKey(std::string_view what, std::string_view key) {
  checkLength(what, key, kMaxKeyBytes);
  if (key.find('\0') != std::string_view::npos) refuse(what, key, "NUL is not allowed");
  validateUtf8(what, key);
}

void validateLabels(std::string_view what, const Labels& labels, std::size_t maxPairBytes) {
  for (const auto& [key, value] : labels) {
    std::string label = std::string(what) + " key";
    if (key.empty()) refuse(label, key, "it is empty");
    validateUtf8(label, key);
    validateUtf8(std::string(what) + " value for " + quote(key), value);
    if (key.size() + value.size() > maxPairBytes)
      refuse(label, key, "key and value are longer than " + std::to_string(maxPairBytes) + " bytes together");
  }
}

void validateJsonText(std::string_view what, std::string_view text) {
  if (text.empty()) return;
  validateUtf8(what, text);
  if (!nlohmann::json::accept(text)) refuse(what, text, "not a JSON document");
}

}  // namespace tenon::metadata
