// Registry credentials. The daemon never stores any: it asks the client's
// Credentials capability for the host that answered 401, and sends what it
// gets only to that host (and to the token realm that host named).
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace tenon::registry {

struct Credentials {
  std::string username;  // "" with a secret: an identity (refresh) token
  std::string secret;
};

// Asked with a host ("registry.example:5000"); nullopt for anonymous access.
using CredentialLookup = std::function<std::optional<Credentials>(const std::string& host)>;

// The client side: credentials for `host` from a Docker config.json
// ($DOCKER_CONFIG/config.json, else ~/.docker/config.json): `credHelpers`
// for the host, else `credsStore`, run as `docker-credential-<name> get`
// (host on stdin, {"ServerURL","Username","Secret"} on stdout; username
// "<token>" is an identity token), else `auths` (base64 "user:pass" in
// `auth`, or `username`/`password`, or `identitytoken`). docker.io is looked
// up as "https://index.docker.io/v1/" too. Keys may carry a scheme and path
// ("https://host/v1/"). nullopt when nothing matches; throws invalid_argument
// naming the file for malformed JSON, or the helper when it fails.
std::optional<Credentials> dockerConfigCredentials(const std::string& host);

// "user:pass" as `--user` gives it (only "user": the password is asked for by the caller).
Credentials parseUserFlag(const std::string& value);

}  // namespace tenon::registry
