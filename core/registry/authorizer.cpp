#include "registry/authorizer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

#include "registry/encoding.hpp"
#include "registry/http_request.hpp"
#include "registry/registry_session.hpp"
#include "registry/url.hpp"

namespace tenon::registry {
namespace {

constexpr std::string_view kBearerPrefix = "Authorization: Bearer ";

// Docker's token spec: a token without expires_in lasts 60 seconds.
constexpr long kDefaultTokenSeconds = 60;

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : std::string(separator)) + part;
  return text;
}

// Bearer is preferred when a registry offers both, as Docker does.
const AuthChallenge* pickChallenge(const std::vector<AuthChallenge>& challenges) {
  for (const char* scheme : {"bearer", "basic"})
    for (const auto& challenge : challenges)
      if (challenge.scheme == scheme) return &challenge;
  return nullptr;
}

// Whom a token was issued to: the credentials' hash, never their text.
std::string identity(const std::optional<Credentials>& credentials) {
  return credentials ? sha256Digest(credentials->username + ":" + credentials->secret) : "anonymous";
}

// {"token"|"access_token", "expires_in", "issued_at"}: the token, and how
// long to keep it. Its lifetime counts from now rather than from issued_at,
// which is the server's clock; a tenth is kept back for requests in flight.
std::pair<std::string, std::chrono::seconds> parseToken(const std::string& body, const std::string& realm) {
  auto document = nlohmann::json::parse(body, nullptr, false);
  std::string token;
  long seconds = kDefaultTokenSeconds;
  if (document.is_object()) {
    for (const char* key : {"token", "access_token"})
      if (document.contains(key) && document[key].is_string() && token.empty()) token = document[key];
    if (document.contains("expires_in") && document["expires_in"].is_number_integer())
      seconds = std::max<long>(document["expires_in"].get<long>(), kDefaultTokenSeconds);
  }
  if (token.empty()) fail(TENON_FAILED_PRECONDITION, fmt::format("the token server {} answered without a token", realm));
  return {token, std::chrono::seconds(seconds - seconds / 10)};
}

}  // namespace

void TokenScope::add(std::string_view scopes) {
  while (!scopes.empty()) {
    auto space = scopes.find(' ');
    std::string_view scope = scopes.substr(0, space);
    scopes = space == std::string_view::npos ? std::string_view() : scopes.substr(space + 1);
    auto colon = scope.rfind(':');
    if (scope.empty() || colon == std::string_view::npos) continue;
    auto& actions = actions_[std::string(scope.substr(0, colon))];
    for (std::string_view rest = scope.substr(colon + 1); !rest.empty();) {
      auto comma = rest.find(',');
      if (auto action = rest.substr(0, comma); !action.empty()) actions.emplace(action);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
}

std::vector<std::string> TokenScope::list() const {
  std::vector<std::string> scopes;
  for (const auto& [resource, actions] : actions_)
    scopes.push_back(resource + ":" + join(std::vector<std::string>(actions.begin(), actions.end()), ","));
  return scopes;
}

Authorizer::Authorizer(RegistrySession& session, CredentialLookup credentials, std::string repository,
                       ClientLimits limits)
    : session_(session), lookup_(std::move(credentials)), repository_(std::move(repository)), limits_(limits) {}

std::optional<Credentials> Authorizer::credentialsFor(const std::string& host) {
  {
    std::lock_guard guard(mutex_);
    if (auto found = credentials_.find(host); found != credentials_.end()) return found->second;
  }
  std::optional<Credentials> credentials = lookup_ ? lookup_(host) : std::nullopt;
  if (credentials && credentials->username.empty() && credentials->secret.empty()) credentials.reset();
  std::lock_guard guard(mutex_);
  return credentials_.emplace(host, credentials).first->second;
}

std::string Authorizer::header(const RegistryHost& host, const TokenScope& scope, std::stop_token stop) {
  AuthChallenge challenge;
  {
    std::lock_guard guard(mutex_);
    auto found = challenges_.find(host.host);
    if (found == challenges_.end()) return {};
    challenge = found->second;
  }
  if (challenge.scheme == "bearer") return std::string(kBearerPrefix) + bearerToken(host, challenge, scope, stop);
  auto credentials = credentialsFor(host.host);
  if (!credentials || credentials->username.empty()) return {};  // an identity token is no password
  return "Authorization: Basic " + base64(credentials->username + ":" + credentials->secret);
}

bool Authorizer::challenged(const RegistryHost& host, const HttpResponse& response, TokenScope& scope,
                            const std::string& sent) {
  std::vector<AuthChallenge> challenges;
  for (const auto& [name, value] : response.headers)
    if (name == "www-authenticate") std::ranges::move(parseAuthChallenges(value), std::back_inserter(challenges));
  const AuthChallenge* challenge = pickChallenge(challenges);
  if (!challenge) return false;
  {
    std::lock_guard guard(mutex_);
    challenges_[host.host] = *challenge;
  }
  if (challenge->scheme == "basic") return sent.empty() && credentialsFor(host.host).has_value();
  scope.add(challenge->param("scope"));
  if (sent.starts_with(kBearerPrefix)) session_.forgetToken(sent.substr(kBearerPrefix.size()));
  return true;
}

std::string Authorizer::bearerToken(const RegistryHost& host, const AuthChallenge& challenge, const TokenScope& scope,
                                    std::stop_token stop) {
  std::string realm = challenge.param("realm");
  if (realm.empty())
    fail(TENON_FAILED_PRECONDITION,
         fmt::format("{} asked for a bearer token without naming a realm ({})", host.host, repository_));
  auto credentials = credentialsFor(host.host);
  auto scopes = scope.list();
  std::string key = join({realm, challenge.param("service"), join(scopes, " "), identity(credentials)}, "\n");
  if (auto cached = session_.token(key)) return *cached;

  HttpResponse response = requestToken(host, challenge, scopes, credentials, stop);
  if (!response.ok()) failOnAnswer(response, "a token from " + realm, repository_, host.host);
  auto [token, lifetime] = parseToken(response.body, realm);
  session_.keepToken(key, token, lifetime);
  return token;
}

HttpResponse Authorizer::requestToken(const RegistryHost& host, const AuthChallenge& challenge,
                                      const std::vector<std::string>& scopes,
                                      const std::optional<Credentials>& credentials, std::stop_token stop) {
  std::string realm = challenge.param("realm");
  std::string service = challenge.param("service");
  // The realm is reached with the registry's CA settings, but a client
  // certificate is a credential: it stays with its own host.
  RegistryHost realmHost = host;
  if (urlOrigin(realm) != urlOrigin(host.base())) realmHost.clientCerts.clear();

  if (credentials && credentials->username.empty()) {
    // An identity token: OAuth2 refresh (Docker's token spec, "OAuth2 Token").
    std::string form = "grant_type=refresh_token&client_id=tenon&refresh_token=" + percentEncode(credentials->secret);
    if (!service.empty()) form += "&service=" + percentEncode(service);
    if (!scopes.empty()) form += "&scope=" + percentEncode(join(scopes, " "));
    HttpRequest post{.method = "POST", .url = realm, .headers = {"Content-Type: application/x-www-form-urlencoded"},
                     .host = &realmHost, .bodySize = static_cast<std::int64_t>(form.size()), .body = bytesReader(form)};
    HttpResponse response = perform(session_, post, limits_, stop);
    // Realms without OAuth2 support answer these (GCR 404, Artifactory 401, ACR 400); they take GET.
    if (!(response.status == 400 || response.status == 401 || response.status == 404 || response.status == 405))
      return response;
  }
  HttpRequest get{.url = realm, .host = &realmHost};
  if (!service.empty()) get.url = withQuery(get.url, "service", service);
  for (const auto& scope : scopes) get.url = withQuery(get.url, "scope", scope);
  if (credentials) {
    if (!credentials->username.empty()) get.url = withQuery(get.url, "account", credentials->username);
    get.headers.push_back("Authorization: Basic " + base64(credentials->username + ":" + credentials->secret));
  }
  return perform(session_, get, limits_, stop);
}

}  // namespace tenon::registry
