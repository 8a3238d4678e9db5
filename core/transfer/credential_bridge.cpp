#include "transfer/credential_bridge.hpp"

namespace tenon::transfer {

CredentialBridge::CredentialBridge(rpc::Credentials::Client client)
    : client_(kj::mv(client)), loop_(kj::getCurrentThreadExecutor()) {}

registry::CredentialLookup CredentialBridge::lookup() {
  return [this](const std::string& host) { return ask(host); };
}

std::optional<registry::Credentials> CredentialBridge::ask(const std::string& host) {
  std::lock_guard lock(mutex_);
  if (auto it = answers_.find(host); it != answers_.end()) return it->second;
  std::optional<registry::Credentials> answer;
  try {
    answer = loop_.executeSync([this, &host]() -> kj::Promise<std::optional<registry::Credentials>> {
      auto request = client_.getRequest();
      request.setHost(host);
      return request.send().then([](auto response) -> std::optional<registry::Credentials> {
        if (!response.getFound()) return std::nullopt;
        return registry::Credentials{response.getUsername(), response.getSecret()};
      });
    });
  } catch (const kj::Exception&) {
    // No capability, or the client went away: anonymous, and the registry's 401 says the rest.
  }
  answers_.emplace(host, answer);
  return answer;
}

}  // namespace tenon::transfer
