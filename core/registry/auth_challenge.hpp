// WWW-Authenticate challenges (RFC 7235 §4.1) as registries send them:
//
//   Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"
//   Basic realm="Registry Realm"
//
// One header may hold several challenges, and a response several headers;
// commas separate both challenges and their parameters, and values are
// tokens or quoted strings (with backslash escapes, and commas inside).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tenon::registry {

struct AuthChallenge {
  std::string scheme;                         // lower case: "basic", "bearer"
  std::map<std::string, std::string> params;  // names lower case, values unquoted

  // The parameter's value, "" when absent.
  std::string param(const std::string& name) const;
};

// The challenges of one header value, in order. Lenient, as clients are:
// bytes that fit no challenge are skipped, never an error.
std::vector<AuthChallenge> parseAuthChallenges(std::string_view header);

}  // namespace tenon::registry
