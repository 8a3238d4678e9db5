// The Credentials capability ctr hands the daemon for a pull or push. The
// daemon asks it for the host that answered 401; ctr answers with --user's
// credentials only when that host is the reference's registry (its domain, or
// the upstream its hosts configuration names: registry-1.docker.io for
// docker.io), so that a mirror or another host never sees them; otherwise with
// what the Docker config.json has for that host (auths, credHelpers, credsStore).
#ifndef TENON_CTR_CREDENTIALS_SERVER_HPP
#define TENON_CTR_CREDENTIALS_SERVER_HPP

#include "registry/reference.hpp"
#include "registry_flags.hpp"
#include "transfer.capnp.h"

namespace tenon::ctr {

// For `reference`; asks for --user's password on the terminal now when it has none.
rpc::Credentials::Client credentialsServer(const registry::Reference& reference, const RegistryFlags& flags);

}  // namespace tenon::ctr

#endif  // TENON_CTR_CREDENTIALS_SERVER_HPP
