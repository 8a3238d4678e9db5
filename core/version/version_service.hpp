// The Version RPC service.
#pragma once

#include "version.capnp.h"

namespace tenon::version {

class VersionService final : public rpc::Version::Server {
 protected:
  kj::Promise<void> get(GetContext context) override;
};

}  // namespace tenon::version
