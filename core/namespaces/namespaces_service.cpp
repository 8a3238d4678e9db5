#include "namespaces/namespaces_service.hpp"

#include "metadata/namespaces.hpp"
#include "rpc/labels.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::namespaces {

namespace ns = metadata::namespaces;

namespace {

void toRpc(const metadata::Namespace& from, rpc::Namespace::Builder out) {
  out.setName(from.name.c_str());
  rpc::toRpc(from.labels, out.initLabels(from.labels.size()));
}

// containerd's NamespaceCreate / NamespaceUpdate fields.
nlohmann::json eventPayload(const metadata::Namespace& n) { return {{"name", n.name}, {"labels", n.labels}}; }

std::string nameOf(capnp::Text::Reader name) { return rpc::checkNamespace(name.cStr()); }

}  // namespace

kj::Promise<void> NamespacesService::create(CreateContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string name = nameOf(params.getName());
    metadata::Labels labels = rpc::fromRpc(params.getLabels());
    return pool_.run([this, name, labels] {
             auto created = store_.update([&](metadata::WriteTx& tx) { return ns::create(tx, name, labels); });
             events_.publish(created.name, "/namespaces/create", eventPayload(created));
             return created;
           })
        .then([context](metadata::Namespace n) mutable { toRpc(n, context.getResults().initNamespace()); });
  });
}

kj::Promise<void> NamespacesService::get(GetContext context) {
  return rpc::serveAsync([&] {
    std::string name = nameOf(context.getParams().getName());
    return pool_.run([this, name] { return store_.view([&](const metadata::ReadTx& tx) { return ns::get(tx, name); }); })
        .then([context](metadata::Namespace n) mutable { toRpc(n, context.getResults().initNamespace()); });
  });
}

kj::Promise<void> NamespacesService::list(ListContext context) {
  return pool_.run([this] { return store_.view([](const metadata::ReadTx& tx) { return ns::list(tx); }); })
      .then([context](std::vector<metadata::Namespace> all) mutable {
        auto out = context.getResults().initNamespaces(all.size());
        for (size_t i = 0; i < all.size(); ++i) toRpc(all[i], out[i]);
      });
}

kj::Promise<void> NamespacesService::setLabels(SetLabelsContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string name = nameOf(params.getName());
    metadata::Labels labels = rpc::fromRpc(params.getLabels());
    return pool_.run([this, name, labels] {
             auto updated = store_.update([&](metadata::WriteTx& tx) { return ns::setLabels(tx, name, labels); });
             events_.publish(updated.name, "/namespaces/update", eventPayload(updated));
             return updated;
           })
        .then([context](metadata::Namespace n) mutable { toRpc(n, context.getResults().initNamespace()); });
  });
}

kj::Promise<void> NamespacesService::delete_(DeleteContext context) {
  return rpc::serveAsync([&] {
    std::string name = nameOf(context.getParams().getName());
    return pool_.run([this, name] {
      store_.update([&](metadata::WriteTx& tx) { ns::remove(tx, name); });
      events_.publish(name, "/namespaces/delete", {{"name", name}});
    });
  });
}

}  // namespace tenon::namespaces
