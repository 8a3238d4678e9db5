// One repository on the hosts that serve it, and the policy every call of
// RegistryClient follows (registry_client.hpp): hosts in order, each call
// retried on a RetryableError with doubling backoff (Retry-After honoured up
// to a cap), then moved to the next host with the capability; 404 / 401 /
// 403 move on too, and are final from the last host. Requests to a host
// carry its configured headers and, once it has challenged, an
// Authorization header for the call's scope. A loopback host marked
// `httpFallback` that fails the TLS handshake is spoken to over plain http
// from then on. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "registry/authorizer.hpp"
#include "registry/http_request.hpp"
#include "registry/registry_client.hpp"

namespace tenon::registry {

class RepositoryHosts {
 public:
  RepositoryHosts(std::shared_ptr<RegistrySession> session, Reference reference, std::vector<RegistryHost> hosts,
                  CredentialLookup credentials, ClientLimits limits, Notice notice);

  // Runs `attempt` on the hosts with `capability` until one returns. Throws
  // failed_precondition when no host has the capability, else the last
  // host's error.
  void eachHost(unsigned capability, std::stop_token stop, const std::function<void(const RegistryHost&)>& attempt);

  // Runs `attempt` until it returns, again after each RetryableError up to
  // the retry limit (backing off in between), or at once when `recover`
  // says the error was dealt with.
  void retrying(std::stop_token stop, const std::function<void()>& attempt,
                const std::function<bool(const RetryableError&)>& recover = {});

  // Sends `request` to `host` with its headers, TLS settings and
  // Authorization for `scope`; a 401 is answered once (token or credentials)
  // and the request sent again.
  HttpResponse send(const RegistryHost& host, HttpRequest request, TokenScope scope, std::stop_token stop);

  // "https://host/v2/<path>/<suffix>"
  std::string url(const RegistryHost& host, std::string_view suffix) const;
  // Throws what `response` (not 2xx) means for `what` on `host` (registry_errors.hpp).
  [[noreturn]] void failOn(const HttpResponse& response, const std::string& what, const std::string& host) const;

  TokenScope pullScope() const;
  TokenScope pushScope() const;
  // Tells the user through the client's Notice, if it has one.
  void tell(const std::string& message) const;

  RegistrySession& session() const { return *session_; }
  const ClientLimits& limits() const { return limits_; }
  const Reference& reference() const { return reference_; }

 private:
  RegistryHost hostAt(std::size_t index);
  bool fallBackToHttp(std::size_t index, const RetryableError& error);

  std::shared_ptr<RegistrySession> session_;
  Reference reference_;
  ClientLimits limits_;
  Notice notice_;
  Authorizer authorizer_;
  std::mutex hostsMutex_;
  std::vector<RegistryHost> hosts_;  // a fallen-back host's scheme changes
};

}  // namespace tenon::registry
