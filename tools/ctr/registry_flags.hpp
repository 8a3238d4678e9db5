// The flags `ctr images pull` and `push` share to reach a registry: --plain-http,
// --skip-verify, --hosts-dir and --user, as containerd's ctr spells them.
#ifndef TENON_CTR_REGISTRY_FLAGS_HPP
#define TENON_CTR_REGISTRY_FLAGS_HPP

#include <CLI/CLI.hpp>

#include <string>

#include "transfer.capnp.h"

namespace tenon::ctr {

struct RegistryFlags {
  bool plainHttp = false;
  bool skipVerify = false;
  std::string hostsDir;  // "" for the daemon's [registry] config_path
  std::string user;      // USER[:PASSWORD]; "" for the Docker config's credentials
};

void addRegistryFlags(CLI::App& command, RegistryFlags& flags);

// The per-call options the daemon reads (rpc::RegistryOptions).
void setRegistryOptions(rpc::RegistryOptions::Builder options, const RegistryFlags& flags);

}  // namespace tenon::ctr

#endif  // TENON_CTR_REGISTRY_FLAGS_HPP
