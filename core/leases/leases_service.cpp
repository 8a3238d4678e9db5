#include "leases/leases_service.hpp"

#include <fmt/format.h>

#include <random>

#include "filters/filter.hpp"
#include "metadata/leases.hpp"
#include "rpc/labels.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::leases {

namespace ml = metadata::leases;

namespace {

void toRpc(const metadata::Lease& lease, rpc::Lease::Builder out) {
  out.setId(lease.id.c_str());
  rpc::toRpc(lease.labels, out.initLabels(lease.labels.size()));
  out.setCreatedAt(lease.createdAt);
  out.setExpiresAt(lease.expiresAt);
}

metadata::LeaseResource fromRpc(rpc::Resource::Reader resource) {
  return {resource.getType().cStr(), resource.getKey().cStr()};
}

// Like containerd's generated lease ids: unique enough, and sortable by nothing.
std::string generateId() {
  std::random_device random;
  return fmt::format("lease-{:08x}{:08x}", random(), random());
}

filters::FieldLookup leaseFields(const metadata::Lease& lease) {
  return filters::labelledFields(
      [&lease](const std::string& field) -> std::optional<std::string> {
        return field == "id" ? std::optional<std::string>(lease.id) : std::nullopt;
      },
      lease.labels);
}

}  // namespace

kj::Promise<void> LeasesService::create(CreateContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    metadata::Lease lease{params.getId().cStr(), rpc::fromRpc(params.getLabels()), 0, params.getExpiresAt()};
    if (lease.id.empty()) lease.id = generateId();
    return pool_.run([this, ns, lease] {
             return store_.update([&](metadata::WriteTx& tx) { return ml::create(tx, ns, lease); });
           })
        .then([context](metadata::Lease created) mutable { toRpc(created, context.getResults().initLease()); });
  });
}

kj::Promise<void> LeasesService::list(ListContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::vector<std::string> texts;
    for (auto f : context.getParams().getFilters()) texts.emplace_back(f.cStr());
    auto filter = std::make_shared<filters::Filter>(filters::Filter::parse(texts));
    return pool_.run([this, ns, filter] {
             auto all = store_.view([&](const metadata::ReadTx& tx) { return ml::list(tx, ns); });
             std::erase_if(all, [&](const metadata::Lease& l) { return !filter->matches(leaseFields(l)); });
             return all;
           })
        .then([context](std::vector<metadata::Lease> all) mutable {
          auto out = context.getResults().initLeases(all.size());
          for (size_t i = 0; i < all.size(); ++i) toRpc(all[i], out[i]);
        });
  });
}

kj::Promise<void> LeasesService::delete_(DeleteContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::string id = context.getParams().getId();
    return pool_.run([this, ns, id] {
      store_.update([&](metadata::WriteTx& tx) { ml::remove(tx, ns, id); });
      if (afterDelete_) afterDelete_();
    });
  });
}

// addResource and deleteResource differ only in the change they make; a
// deletion may leave content unheld, so it schedules GC.
template <class Context>
kj::Promise<void> LeasesService::changeResource(Context context, bool add) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string id = params.getId();
    metadata::LeaseResource resource = fromRpc(params.getResource());
    return pool_.run([this, add, ns, id, resource] {
      store_.update([&](metadata::WriteTx& tx) {
        add ? ml::addResource(tx, ns, id, resource) : ml::removeResource(tx, ns, id, resource);
      });
      if (!add && afterDelete_) afterDelete_();
    });
  });
}

kj::Promise<void> LeasesService::addResource(AddResourceContext context) { return changeResource(context, true); }

kj::Promise<void> LeasesService::deleteResource(DeleteResourceContext context) {
  return changeResource(context, false);
}

kj::Promise<void> LeasesService::listResources(ListResourcesContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::string id = context.getParams().getId();
    return pool_.run([this, ns, id] {
             return store_.view([&](const metadata::ReadTx& tx) { return ml::resources(tx, ns, id); });
           })
        .then([context](std::vector<metadata::LeaseResource> resources) mutable {
          auto out = context.getResults().initResources(resources.size());
          for (size_t i = 0; i < resources.size(); ++i) {
            out[i].setType(resources[i].type.c_str());
            out[i].setKey(resources[i].key.c_str());
          }
        });
  });
}

}  // namespace tenon::leases
