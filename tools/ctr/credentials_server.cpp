#include "credentials_server.hpp"

#include <fmt/core.h>

#include <optional>
#include <string>
#include <vector>
#include <tenon/error.hpp>

#include "connection.hpp"
#include "password_prompt.hpp"
#include "registry/credentials.hpp"
#include "registry/hosts.hpp"

namespace tenon::ctr {
namespace {

class CredentialsServer final : public rpc::Credentials::Server {
 public:
  CredentialsServer(std::string domain, std::string upstream, std::optional<registry::Credentials> user)
      : domain_(std::move(domain)), upstream_(std::move(upstream)), user_(std::move(user)) {}

 protected:
  kj::Promise<void> get(GetContext context) override {
    std::string host = toString(context.getParams().getHost());
    bool ours = host == domain_ || host == upstream_;
    std::optional<registry::Credentials> answer = ours && user_ ? user_ : fromDockerConfig(host, ours);
    auto results = context.getResults();
    results.setFound(answer.has_value());
    if (answer) {
      results.setUsername(answer->username);
      results.setSecret(answer->secret);
    }
    return kj::READY_NOW;
  }

 private:
  // Docker logins are kept under the registry's name ("docker.io"), which the
  // daemon may reach through another host (registry-1.docker.io).
  std::optional<registry::Credentials> fromDockerConfig(const std::string& host, bool ours) const {
    try {
      std::optional<registry::Credentials> found = registry::dockerConfigCredentials(host);
      if (!found && ours && host != domain_) found = registry::dockerConfigCredentials(domain_);
      return found;
    } catch (const Error& e) {
      // A broken config or credential helper: say so, and let the registry's 401 say the rest.
      fmt::print(stderr, "ctr: warning: no credentials for {}: {}\n", host, e.what());
      return std::nullopt;
    }
  }

  std::string domain_, upstream_;
  std::optional<registry::Credentials> user_;
};

std::optional<registry::Credentials> userCredentials(const std::string& user) {
  if (user.empty()) return std::nullopt;
  registry::Credentials credentials = registry::parseUserFlag(user);
  if (user.find(':') == std::string::npos) credentials.secret = readPassword("Password: ");
  return credentials;
}

}  // namespace

rpc::Credentials::Client credentialsServer(const registry::Reference& reference, const RegistryFlags& flags) {
  registry::HostOptions options{flags.hostsDir, flags.plainHttp, flags.skipVerify};
  // The upstream is the last host; mirrors come before it.
  std::vector<registry::RegistryHost> hosts = registry::registryHosts(reference.domain, options);
  std::string upstream = hosts.empty() ? reference.domain : hosts.back().host;
  return kj::heap<CredentialsServer>(reference.domain, std::move(upstream), userCredentials(flags.user));
}

}  // namespace tenon::ctr
