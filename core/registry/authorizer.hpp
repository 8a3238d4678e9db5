// The Authorization headers of one repository's requests, learnt from the
// registry's 401 challenges (Docker's token authentication, and Basic):
//
//   Basic   the credentials the lookup gives for that host, base64-encoded.
//   Bearer  a token from the challenge's realm, asked for the request's
//           scopes: GET realm?service=..&scope=.. (with Basic credentials of
//           the registry's host when it has some), or for an identity token
//           the OAuth2 form POST grant_type=refresh_token, falling back to
//           GET for realms that do not take it. Tokens are cached in the
//           session per (realm, service, scopes, identity) until they expire.
//
// Credentials only ever go to the host they were looked up for and to the
// token realm that host's own challenge named.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "registry/auth_challenge.hpp"
#include "registry/registry_client.hpp"

namespace tenon::registry {

class RegistrySession;
struct HttpResponse;

// The access a request needs, as token scopes ("repository:a/b:pull,push"),
// merged per resource so that equal needs give equal cache keys.
class TokenScope {
 public:
  TokenScope() = default;
  // Adds scopes written as in a challenge (several separated by spaces).
  explicit TokenScope(std::string_view scopes) { add(scopes); }
  void add(std::string_view scopes);
  // One scope per resource, actions merged, both in sorted order.
  std::vector<std::string> list() const;

 private:
  std::map<std::string, std::set<std::string>> actions_;  // "repository:a/b" -> {"pull", "push"}
};

class Authorizer {
 public:
  Authorizer(RegistrySession& session, CredentialLookup credentials, std::string repository, ClientLimits limits);

  // The Authorization header line for a request to `host` that needs
  // `scope`, from what `host` challenged before; "" when it has not (yet).
  // May fetch a token.
  std::string header(const RegistryHost& host, const TokenScope& scope, std::stop_token stop);

  // Learns from `response`, a 401 of `host` to a request that carried the
  // header line `sent` ("" for none): remembers its challenge, widens
  // `scope` by the challenge's, drops a refused token. Whether a retry with
  // header() may succeed.
  bool challenged(const RegistryHost& host, const HttpResponse& response, TokenScope& scope, const std::string& sent);

 private:
  std::optional<Credentials> credentialsFor(const std::string& host);
  std::string bearerToken(const RegistryHost& host, const AuthChallenge& challenge, const TokenScope& scope,
                          std::stop_token stop);
  HttpResponse requestToken(const RegistryHost& host, const AuthChallenge& challenge,
                            const std::vector<std::string>& scopes, const std::optional<Credentials>& credentials,
                            std::stop_token stop);

  RegistrySession& session_;
  CredentialLookup lookup_;
  std::string repository_;  // for messages
  ClientLimits limits_;
  std::mutex mutex_;
  std::map<std::string, AuthChallenge> challenges_;                // by host
  std::map<std::string, std::optional<Credentials>> credentials_;  // by host, once looked up
};

}  // namespace tenon::registry
