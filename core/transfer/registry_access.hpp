// What a pull or push needs to reach registries: the daemon's [registry]
// settings, the connections and tokens shared by every transfer, and the
// client's per-call options, turned into a RegistryClient.
#pragma once

#include <memory>
#include <string>

#include "registry/registry_client.hpp"

namespace tenon::transfer {

// The daemon's side, from its [registry] config table.
struct RegistryAccess {
  std::shared_ptr<registry::RegistrySession> session;  // shared by every pull and push
  std::string hostsDir;                                // config_path; "" for none
  registry::ClientLimits limits;
  unsigned maxConcurrentDownloads = 3;
  unsigned maxConcurrentUploads = 3;
};

// The client's side of one call (rpc::RegistryOptions as plain values, for a worker thread).
struct RegistryRequest {
  std::string hostsDir;  // "" for the daemon's
  bool plainHttp = false;
  bool skipVerify = false;
};

// A client for `reference`'s repository on the hosts its domain has.
// Throws invalid_argument for a malformed hosts.toml.
inline std::unique_ptr<registry::RegistryClient> openRegistry(const RegistryAccess& access,
                                                               const registry::Reference& reference,
                                                               const RegistryRequest& request,
                                                               registry::CredentialLookup credentials,
                                                               registry::Notice notice) {
  registry::HostOptions options{request.hostsDir.empty() ? access.hostsDir : request.hostsDir, request.plainHttp,
                                request.skipVerify};
  return std::make_unique<registry::RegistryClient>(access.session, reference,
                                                    registry::registryHosts(reference.domain, options),
                                                    std::move(credentials), access.limits, std::move(notice));
}

}  // namespace tenon::transfer
