#include "token_issuer.hpp"

#include <doctest/doctest.h>

namespace tenon::test {

namespace {

constexpr const char *kService = "tenon-test-registry";
constexpr const char *kIssuer = "tenon-test-issuer";

} // namespace

TokenIssuer::TokenIssuer(RegistryUser user) {
  ProcessResult made =
      runProcess({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                  "-days", "2", "-subj", std::string("/CN=") + kIssuer,
                  "-keyout", dir_ / "key.pem", "-out", dir_ / "cert.pem"},
                 {.env = {}, .timeout = std::chrono::seconds(30)});
  REQUIRE_MESSAGE(made.status.code == 0, "openssl req failed: ", made.err);
  server_ = std::make_unique<ScriptServer>(
      "token_issuer.py",
      std::vector<std::string>{"--key", dir_ / "key.pem", "--cert",
                               dir_ / "cert.pem", "--user", user.name,
                               "--password", user.password, "--service",
                               kService, "--issuer", kIssuer});
}

TokenAuth TokenIssuer::auth() const {
  return {server_->url() + "/token", kService, kIssuer, dir_ / "cert.pem"};
}

} // namespace tenon::test
