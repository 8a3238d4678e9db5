#include "registry/repository_hosts.hpp"

#include <fmt/format.h>

#include <condition_variable>

#include "registry/registry_session.hpp"

namespace tenon::registry {
namespace {

// The longest Retry-After we wait for; a registry asking more is retried sooner (or given up on).
constexpr std::chrono::milliseconds kMaxRetryAfter{30000};

std::string capabilityName(unsigned capability) {
  return capability == kPush ? "push" : capability == kResolve ? "resolve tags" : "pull";
}

// Sleeps for `duration` unless `stop` is requested first.
void pause(std::chrono::milliseconds duration, std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  wake.wait_for(lock, stop, duration, [] { return false; });
  if (stop.stop_requested()) fail(TENON_CANCELLED, "cancelled");
}

}  // namespace

RepositoryHosts::RepositoryHosts(std::shared_ptr<RegistrySession> session, Reference reference,
                                 std::vector<RegistryHost> hosts, CredentialLookup credentials, ClientLimits limits,
                                 Notice notice)
    : session_(std::move(session)),
      reference_(std::move(reference)),
      limits_(limits),
      notice_(std::move(notice)),
      authorizer_(*session_, std::move(credentials), reference_.repository(), limits_),
      hosts_(std::move(hosts)) {}

void RepositoryHosts::eachHost(unsigned capability, std::stop_token stop,
                               const std::function<void(const RegistryHost&)>& attempt) {
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < hosts_.size(); ++i)
    if (hosts_[i].capabilities & capability) candidates.push_back(i);
  if (candidates.empty())
    fail(TENON_FAILED_PRECONDITION,
         fmt::format("no host configured for {} may {} (see its hosts.toml capabilities)", reference_.domain,
                     capabilityName(capability)));
  for (std::size_t n = 0; n < candidates.size(); ++n) {
    std::size_t index = candidates[n];
    try {
      retrying(stop, [&] { attempt(hostAt(index)); }, [&](const RetryableError& e) { return fallBackToHttp(index, e); });
      return;
    } catch (const Error& e) {
      bool movesOn = dynamic_cast<const RetryableError*>(&e) || e.code() == TENON_NOT_FOUND ||
                     e.code() == TENON_PERMISSION_DENIED;
      if (!movesOn || n + 1 == candidates.size()) throw;
      tell(fmt::format("trying the next host after {}: {}", hostAt(index).host, e.what()));
    }
  }
}

void RepositoryHosts::retrying(std::stop_token stop, const std::function<void()>& attempt,
                               const std::function<bool(const RetryableError&)>& recover) {
  auto delay = limits_.backoff;
  for (int retry = 0;;) {
    try {
      attempt();
      return;
    } catch (const RetryableError& e) {
      if (stop.stop_requested()) fail(TENON_CANCELLED, "cancelled");
      if (recover && recover(e)) continue;
      if (retry >= limits_.retries) throw;
      auto wait = std::max(delay, std::min(e.retryAfter(), kMaxRetryAfter));
      ++retry;
      tell(fmt::format("retrying in {} ms ({} of {}) after: {}", wait.count(), retry, limits_.retries, e.what()));
      pause(wait, stop);
      delay *= 2;
    }
  }
}

HttpResponse RepositoryHosts::send(const RegistryHost& host, HttpRequest request, TokenScope scope,
                                   std::stop_token stop) {
  request.host = &host;
  for (const auto& [name, value] : host.headers) request.headers.push_back(name + ": " + value);
  for (bool challenged = false;; challenged = true) {
    std::string authorization = authorizer_.header(host, scope, stop);
    if (!authorization.empty()) request.headers.push_back(authorization);
    HttpResponse response = perform(*session_, request, limits_, stop);
    if (!authorization.empty()) request.headers.pop_back();
    if (response.status != 401 || challenged || !authorizer_.challenged(host, response, scope, authorization))
      return response;
  }
}

std::string RepositoryHosts::url(const RegistryHost& host, std::string_view suffix) const {
  return fmt::format("{}/{}/{}", host.base(), reference_.path, suffix);
}

void RepositoryHosts::failOn(const HttpResponse& response, const std::string& what, const std::string& host) const {
  failOnAnswer(response, what, reference_.repository(), host);
}

TokenScope RepositoryHosts::pullScope() const { return TokenScope("repository:" + reference_.path + ":pull"); }

TokenScope RepositoryHosts::pushScope() const { return TokenScope("repository:" + reference_.path + ":pull,push"); }

void RepositoryHosts::tell(const std::string& message) const {
  if (notice_) notice_(message);
}

RegistryHost RepositoryHosts::hostAt(std::size_t index) {
  std::lock_guard guard(hostsMutex_);
  return hosts_[index];
}

bool RepositoryHosts::fallBackToHttp(std::size_t index, const RetryableError& error) {
  auto* transport = dynamic_cast<const TransportError*>(&error);
  if (!transport || !transport->handshakeFailed()) return false;
  std::string name;
  {
    std::lock_guard guard(hostsMutex_);
    RegistryHost& host = hosts_[index];
    if (!host.httpFallback || host.scheme != "https") return false;
    host.scheme = "http";
    name = host.host;
  }
  tell(fmt::format("{} does not speak TLS: using plain http", name));
  return true;
}

}  // namespace tenon::registry
