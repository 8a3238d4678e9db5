#include "registry/auth_challenge.hpp"

#include <cctype>
#include <cstring>

namespace tenon::registry {
namespace {

bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c));
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool done() const { return at_ >= text_.size(); }
  std::size_t position() const { return at_; }
  void rewind(std::size_t position) { at_ = position; }
  void skip() { ++at_; }
  bool peek(char c) const { return !done() && text_[at_] == c; }

  void skipSpace() {
    while (!done() && (text_[at_] == ' ' || text_[at_] == '\t')) ++at_;
  }
  void skipSpaceAndCommas() {
    while (!done() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == ',')) ++at_;
  }
  std::string_view token() {
    std::size_t begin = at_;
    while (!done() && isTokenChar(text_[at_])) ++at_;
    return text_.substr(begin, at_ - begin);
  }
  // A quoted-string (RFC 7230 §3.2.6) after its opening quote; an unterminated one runs to the end.
  std::string quoted() {
    std::string value;
    for (++at_; !done() && text_[at_] != '"'; ++at_) {
      if (text_[at_] == '\\' && at_ + 1 < text_.size()) ++at_;
      value += text_[at_];
    }
    if (!done()) ++at_;
    return value;
  }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
};

// Reads `name = value` pairs until what follows is not one (the next challenge's scheme, or the end).
void readParams(Scanner& scanner, AuthChallenge& challenge) {
  for (;;) {
    scanner.skipSpaceAndCommas();
    std::size_t start = scanner.position();
    std::string_view name = scanner.token();
    scanner.skipSpace();
    if (name.empty() || !scanner.peek('=')) {
      scanner.rewind(start);
      return;
    }
    scanner.skip();
    scanner.skipSpace();
    std::string value = scanner.peek('"') ? scanner.quoted() : std::string(scanner.token());
    challenge.params[lower(name)] = std::move(value);
  }
}

}  // namespace

std::string AuthChallenge::param(const std::string& name) const {
  auto found = params.find(name);
  return found == params.end() ? std::string() : found->second;
}

std::vector<AuthChallenge> parseAuthChallenges(std::string_view header) {
  std::vector<AuthChallenge> challenges;
  Scanner scanner(header);
  for (scanner.skipSpaceAndCommas(); !scanner.done(); scanner.skipSpaceAndCommas()) {
    std::string_view scheme = scanner.token();
    if (scheme.empty()) {
      scanner.skip();  // a byte no challenge starts with
      continue;
    }
    AuthChallenge challenge{lower(scheme), {}};
    readParams(scanner, challenge);
    challenges.push_back(std::move(challenge));
  }
  return challenges;
}

}  // namespace tenon::registry
