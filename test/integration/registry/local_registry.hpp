// A real registry for the pull and push tests: Debian's docker-registry
// (distribution 2.8) serving plain HTTP on 127.0.0.1 at a free port, its
// storage in a TempDir of its own, with htpasswd Basic auth or token auth when
// asked. It can be killed as a crash would kill it and started again on the
// same port and storage; the destructor always stops it.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "process.hpp"
#include "temp_dir.hpp"

namespace tenon::test {

struct RegistryUser {
  std::string name, password;
  std::string colonJoined() const {
    return name + ":" + password;
  } // what --user and --creds take
};

// distribution's auth.token table: tokens from `realm`, signed by a key whose
// certificate is in `rootCertBundle`, for `service`, issued by `issuer`.
struct TokenAuth {
  std::string realm, service, issuer, rootCertBundle;
};

struct LocalRegistryOptions {
  std::optional<RegistryUser> htpasswd; // Basic auth, this one user
  std::optional<TokenAuth> token;
  // Accept manifests whose (non-distributable) layers name URLs on 127.0.0.1:
  // distribution refuses every layer URL unless an allow pattern matches.
  bool allowLoopbackLayerUrls = false;
};

class LocalRegistry {
public:
  // Writes config.yml (and the htpasswd file) and starts the registry.
  explicit LocalRegistry(LocalRegistryOptions options = {});
  ~LocalRegistry();
  LocalRegistry(const LocalRegistry &) = delete;
  LocalRegistry &operator=(const LocalRegistry &) = delete;

  // Starts it and waits until GET /v2/ answers; REQUIREs that it does within 10
  // s.
  void start();
  // SIGTERM, then SIGKILL after 5 s.
  void stop();
  // SIGKILL, as a crash would, and reaps it: connections in flight are cut.
  void kill();
  pid_t pid() const;

  const std::string &host() const { return host_; }     // "127.0.0.1:PORT"
  std::string url() const { return "http://" + host_; } // where its API is
  std::string reference(const std::string &repositoryAndTag) const {
    return host_ + "/" + repositoryAndTag;
  }
  // The file holding blob `digest` ("sha256:...") in the registry's storage.
  std::string blobFile(const std::string &digest) const;
  // What the registry logged (all runs).
  std::string log() const;

private:
  void writeConfig() const;

  LocalRegistryOptions options_;
  TempDir dir_{"tenon-registry"};
  std::string host_;
  std::unique_ptr<BackgroundProcess> process_;
};

// A TCP port on 127.0.0.1 that nothing listened on a moment ago (the kernel's
// pick).
int freeLoopbackPort();

// The HTTP status curl got for GET `url` ("000" when nothing answered).
std::string httpStatus(const std::string &url);

} // namespace tenon::test
