// Where a registry's API is reached, configured as containerd users know it:
// a hosts directory with one `<host[:port]>/hosts.toml` per registry (and a
// `_default/hosts.toml` for the rest), where
//
//   server = "https://registry.example"          # the upstream (default https://<host>)
//   [host."https://mirror.example"]               # tried first, in file order
//     capabilities = ["pull", "resolve"]          # default pull, resolve, push
//     ca = "/path/ca.crt"  (or a list)            # relative paths are in the host's dir
//     client = [["/path/c.crt", "/path/c.key"]]   # or "/path/c.pem", or ["crt","key"]
//     skip_verify = false
//     override_path = false                        # true: the URL's path is the API root, no /v2 added
//     dial_timeout = "5s"
//     [host."https://mirror.example".header]
//       x-custom = "1"                             # or a list of values
//
// plus Docker's certs.d layout in the same directory (`*.crt` CAs, `*.cert`
// with its `*.key` client pairs) for hosts without a hosts.toml. docker.io's
// upstream is https://registry-1.docker.io. Unknown keys are errors naming the file.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace tenon::registry {

enum Capability : unsigned {
  kPull = 1,     // fetch blobs and manifests by digest
  kResolve = 2,  // resolve tags to digests
  kPush = 4,
};

struct RegistryHost {
  std::string scheme = "https";  // "https" or "http"
  std::string host;              // "registry.example:5000", as in a URL
  std::string path = "/v2";      // the API root
  unsigned capabilities = kPull | kResolve | kPush;
  bool skipVerify = false;
  std::vector<std::string> caFiles;                            // besides the system's
  std::vector<std::pair<std::string, std::string>> clientCerts;  // certificate file, key file ("" if in the certificate's)
  std::vector<std::pair<std::string, std::string>> headers;    // sent with every request to this host
  std::chrono::milliseconds dialTimeout{30000};
  // A loopback host without configuration: https is tried and, when the TLS
  // handshake fails, plain http (Docker's default for localhost).
  bool httpFallback = false;

  // "https://registry.example:5000/v2"
  std::string base() const { return scheme + "://" + host + path; }
};

// What the client asked for on top of the configuration.
struct HostOptions {
  std::string hostsDir;    // "" for none
  bool plainHttp = false;  // http for the upstream (and mirrors without an explicit scheme)
  bool skipVerify = false;
};

// The hosts to try for `domain` (a Reference's), mirrors first in the
// file's order, the upstream last. Throws invalid_argument naming the file
// and key for a malformed hosts.toml.
std::vector<RegistryHost> registryHosts(const std::string& domain, const HostOptions& options);

}  // namespace tenon::registry
