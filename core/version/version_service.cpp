#include "version/version_service.hpp"

#include <tenon/plugin.h>

#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"
#include "tenon_build_config.h"
#include "tenon_revision.h"

namespace tenon::version {

kj::Promise<void> VersionService::get(GetContext context) {
  return rpc::serve([&] {
    rpc::requestNamespace(context.getParams().getCtx());
    auto info = context.getResults().initInfo();
    info.setVersion(TENON_VERSION);
    info.setRevision(TENON_REVISION);
    info.setAbiVersion(TENON_ABI_VERSION);
  });
}

}  // namespace tenon::version
