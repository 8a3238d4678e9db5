// A token server for a registry with auth.token (token_issuer.py): an RSA key
// and self-signed certificate made here with openssl, the certificate being the
// registry's rootcertbundle; tokens only for `user`, granting the scopes asked.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "local_registry.hpp"
#include "script_server.hpp"

namespace tenon::test {

class TokenIssuer {
public:
  explicit TokenIssuer(RegistryUser user);

  // What the registry's config needs to trust this issuer's tokens.
  TokenAuth auth() const;
  // Each request: {"method", "user", "scopes": [...], "granted": bool}.
  std::vector<nlohmann::json> requests() const { return server_->requests(); }
  void clearRequests() const { server_->clearRequests(); }

private:
  TempDir dir_{"tenon-token-issuer"};
  std::unique_ptr<ScriptServer> server_;
};

} // namespace tenon::test
