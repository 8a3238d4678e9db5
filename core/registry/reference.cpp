// Docker's reference grammar (github.com/distribution/reference, regexp.go):
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [ domain "/" ] component ( "/" component )*
//   domain    := host [ ":" port ]   host: DNS labels, or an IPv6 literal in brackets
//   component := [a-z0-9]+ ( ( [._] | "__" | "-"+ ) [a-z0-9]+ )*
//   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
#include "registry/reference.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <tenon/error.hpp>

#include <algorithm>

namespace tenon::registry {

namespace {

constexpr std::size_t kMaxNameLength = 255;  // domain + "/" + path, as distribution/reference counts it
constexpr std::size_t kMaxTagLength = 128;
constexpr std::size_t kSha256HexLength = 64;
constexpr std::size_t kMaxQuotedLength = 300;  // keeps an error about a huge input readable

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool isAlnum(char c) { return isLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLowerHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f'); }
bool hasUpper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

class ReferenceParser {
 public:
  explicit ReferenceParser(std::string_view text) : text_(text) {}

  Reference parse() const {
    if (text_.empty()) fail("the reference is empty");
    Reference ref;
    std::string_view name = text_;
    if (std::size_t at = name.find('@'); at != std::string_view::npos) {
      ref.digest = checkDigest(name.substr(at + 1));
      name = name.substr(0, at);
    }
    // The tag's colon is the last one after the last slash: "host:5000/app" has none.
    if (std::size_t colon = name.rfind(':');
        colon != std::string_view::npos && name.find('/', colon) == std::string_view::npos) {
      ref.tag = checkTag(name.substr(colon + 1));
      name = name.substr(0, colon);
    }
    if (name.empty()) fail("the repository name is empty");
    if (name.size() > kMaxNameLength)
      fail(fmt::format("the repository name is longer than {} characters", kMaxNameLength));
    if (name.size() == kSha256HexLength && std::all_of(name.begin(), name.end(), isLowerHex))
      fail("a 64-character hexadecimal string is an image ID, not a repository name");
    splitDomain(name, ref);
    if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
    return ref;
  }

 private:
  [[noreturn]] void fail(std::string_view why) const {
    std::string_view shown = text_.substr(0, kMaxQuotedLength);
    throw Error(TENON_INVALID_ARGUMENT, fmt::format("invalid reference {:?}{}: {}", shown,
                                                    shown.size() < text_.size() ? "..." : "", why));
  }

  // Docker's splitDockerDomain: the first component is a registry host when
  // it has a '.' or a ':', is "localhost", or has uppercase letters (which a
  // path component may not); otherwise the name lives on Docker Hub.
  void splitDomain(std::string_view name, Reference& ref) const {
    std::string_view path = name;
    ref.domain = "docker.io";
    if (std::size_t slash = name.find('/'); slash != std::string_view::npos) {
      std::string_view first = name.substr(0, slash);
      if (first.find_first_of(".:") != std::string_view::npos || first == "localhost" || hasUpper(first)) {
        checkDomain(first);
        ref.domain = first;
        path = name.substr(slash + 1);
      }
    }
    if (ref.domain == "index.docker.io") ref.domain = "docker.io";
    checkPath(path);
    ref.path = path;
    if (ref.domain == "docker.io" && path.find('/') == std::string_view::npos) ref.path = "library/" + ref.path;
  }

  void checkDomain(std::string_view domain) const {
    std::string_view host = domain;
    if (domain.front() == '[') {
      std::size_t close = domain.find(']');
      if (close == std::string_view::npos) fail("the IPv6 address in the domain has no closing ']'");
      std::string literal(domain.substr(1, close - 1));
      in6_addr addr{};
      if (::inet_pton(AF_INET6, literal.c_str(), &addr) != 1)
        fail(fmt::format("{:?} is not an IPv6 address", literal));
      std::string_view rest = domain.substr(close + 1);
      if (!rest.empty() && rest.front() != ':') fail(fmt::format("unexpected {:?} after the IPv6 address", rest));
      if (!rest.empty()) checkPort(rest.substr(1), domain);
      return;
    }
    if (std::size_t colon = domain.find(':'); colon != std::string_view::npos) {
      host = domain.substr(0, colon);
      checkPort(domain.substr(colon + 1), domain);
    }
    checkHostName(host);
  }

  void checkPort(std::string_view port, std::string_view domain) const {
    bool digits = !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), isDigit);
    int number = digits ? std::stoi(std::string(port)) : 0;
    if (number < 1 || number > 65535)
      fail(fmt::format("bad port {:?} in domain {:?} (want 1-65535)", port, domain));
  }

  // Dot-separated labels of letters, digits and inner hyphens.
  void checkHostName(std::string_view host) const {
    std::size_t start = 0;
    while (true) {
      std::size_t dot = host.find('.', start);
      std::string_view label = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
      bool ok = !label.empty() && isAlnum(label.front()) && isAlnum(label.back()) &&
                std::all_of(label.begin(), label.end(), [](char c) { return isAlnum(c) || c == '-'; });
      if (!ok)
        fail(fmt::format("bad domain {:?} (want labels of letters, digits and '-', and an optional :port)", host));
      if (dot == std::string_view::npos) return;
      start = dot + 1;
    }
  }

  void checkPath(std::string_view path) const {
    if (hasUpper(path)) fail(fmt::format("repository name {:?} must be lowercase", path));
    std::size_t start = 0;
    while (true) {
      std::size_t slash = path.find('/', start);
      std::string_view component = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
      if (component.empty()) fail("the repository name has an empty path component");
      if (!isComponent(component))
        fail(fmt::format("bad path component {:?} (want [a-z0-9] runs joined by '.', '_', '__' or '-')", component));
      if (slash == std::string_view::npos) return;
      start = slash + 1;
    }
  }

  static bool isComponent(std::string_view c) {
    std::size_t i = 0;
    while (true) {
      std::size_t run = i;
      while (i < c.size() && isLowerAlnum(c[i])) ++i;
      if (i == run) return false;  // a separator at the start, the end, or next to another
      if (i == c.size()) return true;
      if (c[i] == '.') ++i;
      else if (c[i] == '_') i += (i + 1 < c.size() && c[i + 1] == '_') ? 2 : 1;
      else if (c[i] == '-') while (i < c.size() && c[i] == '-') ++i;
      else return false;
    }
  }

  std::string checkTag(std::string_view tag) const {
    if (tag.empty()) fail("the tag after ':' is empty");
    if (tag.size() > kMaxTagLength) fail(fmt::format("the tag is longer than {} characters", kMaxTagLength));
    auto word = [](char c) { return isAlnum(c) || c == '_'; };
    if (!word(tag.front()) ||
        !std::all_of(tag.begin(), tag.end(), [&](char c) { return word(c) || c == '.' || c == '-'; }))
      fail(fmt::format("bad tag {:?} (want [A-Za-z0-9_] then [A-Za-z0-9_.-])", tag));
    return std::string(tag);
  }

  std::string checkDigest(std::string_view digest) const {
    constexpr std::string_view kPrefix = "sha256:";
    std::string_view hex = digest.substr(std::min(digest.size(), kPrefix.size()));
    if (!digest.starts_with(kPrefix) || hex.size() != kSha256HexLength ||
        !std::all_of(hex.begin(), hex.end(), isLowerHex))
      fail(fmt::format("bad digest {:?} (want sha256: and 64 lowercase hex digits)", digest));
    return std::string(digest);
  }

  std::string_view text_;
};

}  // namespace

std::string Reference::text() const {
  std::string out = repository();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

Reference parseReference(std::string_view text) { return ReferenceParser(text).parse(); }

bool isLoopback(std::string_view domain) {
  std::string host(domain);
  if (host.starts_with('[')) {
    host = host.substr(1, host.find(']') - 1);  // "[::1]:5000" -> "::1"
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    host.erase(host.find(':'));  // "localhost:5000" -> "localhost"
  }
  if (host == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

}  // namespace tenon::registry
