#include "gc/gc_service.hpp"

#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::gc {

kj::Promise<void> GcService::collect(CollectContext context) {
  return rpc::serveAsync([&] {
    rpc::requestNamespace(context.getParams().getCtx());
    bool dryRun = context.getParams().getDryRun();
    return pool_.run([this, dryRun] { return collector_.collect(dryRun); })
        .then([context](GcReport report) mutable {
          auto out = context.getResults().initReport();
          out.setDryRun(report.dryRun);
          auto removed = out.initRemoved(report.removed.size());
          for (size_t i = 0; i < report.removed.size(); ++i) removed.set(i, report.removed[i].c_str());
          auto errors = out.initErrors(report.errors.size());
          for (size_t i = 0; i < report.errors.size(); ++i) errors.set(i, report.errors[i].c_str());
        });
  });
}

}  // namespace tenon::gc
