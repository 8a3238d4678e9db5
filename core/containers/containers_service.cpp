#include "containers/containers_service.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <stdexcept>
#include <tenon/error.hpp>

#include "containers/container_fields.hpp"
#include "metadata/validation.hpp"
#include "rpc/labels.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::containers {

namespace mc = metadata::containers;

namespace {

std::string text(capnp::Text::Reader t) { return {t.begin(), t.size()}; }

// The runtime is handed the spec as config.json: nothing but an object will do.
void checkSpec(const std::string& id, const std::string& specJson) {
  auto spec = nlohmann::json::parse(specJson, nullptr, false);
  if (!spec.is_object())
    fail(TENON_INVALID_ARGUMENT, "container " + metadata::quote(id) + ": the OCI spec must be a JSON object");
}

}  // namespace

void toRpc(const metadata::Container& c, rpc::Container::Builder out) {
  out.setId(c.id);
  out.setImage(c.image);
  auto runtime = out.initRuntime();
  runtime.setName(c.runtime.name);
  runtime.setOptions(c.runtime.optionsJson);
  out.setSpec(c.specJson);
  out.setSnapshotter(c.snapshotter);
  out.setSnapshotKey(c.snapshotKey);
  rpc::toRpc(c.labels, out.initLabels(c.labels.size()));
  out.setCreatedAt(c.createdAt);
  out.setUpdatedAt(c.updatedAt);
}

metadata::Container fromRpc(rpc::Container::Reader c) {
  return {text(c.getId()),
          text(c.getImage()),
          {text(c.getRuntime().getName()), text(c.getRuntime().getOptions())},
          text(c.getSpec()),
          text(c.getSnapshotter()),
          text(c.getSnapshotKey()),
          rpc::fromRpc(c.getLabels()),
          0,
          0};
}

ContainersService::ContainersService(metadata::MetadataStore& store, rpc::WorkerPool& pool,
                                     events::Publisher& events, ContainersOptions options)
    : store_(store), pool_(pool), events_(events), options_(std::move(options)) {
  if (!options_.hasTask) throw std::invalid_argument("ContainersService needs a hasTask function");
}

metadata::Container ContainersService::prepareNew(metadata::Container container) const {
  metadata::validateIdentifier("container id", container.id);
  if (container.runtime.name.empty()) container.runtime.name = options_.defaultRuntime;
  if (options_.knownRuntime && !options_.knownRuntime(container.runtime.name))
    fail(TENON_INVALID_ARGUMENT, "container " + metadata::quote(container.id) + ": unknown runtime " +
                                     metadata::quote(container.runtime.name));
  checkSpec(container.id, container.specJson);
  return container;
}

metadata::Container ContainersService::updateRecord(const std::string& ns, const metadata::Container& wanted,
                                                    const std::vector<std::string>& fields) {
  // Read, changed and written in one transaction, so that a concurrent change
  // of another label is not lost.
  return store_.update([&](metadata::WriteTx& tx) {
    metadata::Container current = mc::get(tx, ns, wanted.id);
    metadata::ContainerUpdate change = changeFor(current, wanted, fields);
    if (change.specJson) checkSpec(wanted.id, *change.specJson);
    return mc::update(tx, ns, wanted.id, change);
  });
}

metadata::Container ContainersService::removeRecord(const std::string& ns, const std::string& id) {
  metadata::validateIdentifier("container id", id);
  if (options_.hasTask(ns, id))
    fail(TENON_FAILED_PRECONDITION, "container " + metadata::quote(id) + " in namespace " + metadata::quote(ns) +
                                        " has a task: delete the task first");
  return store_.update([&](metadata::WriteTx& tx) { return mc::remove(tx, ns, id); });
}

kj::Promise<void> ContainersService::get(GetContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::string id = text(context.getParams().getId());
    return pool_.run([this, ns, id] {
             return store_.view([&](const metadata::ReadTx& tx) { return mc::get(tx, ns, id); });
           })
        .then([context](metadata::Container c) mutable { toRpc(c, context.getResults().initContainer()); });
  });
}

kj::Promise<void> ContainersService::list(ListContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::vector<std::string> texts;
    for (auto f : context.getParams().getFilters()) texts.push_back(text(f));
    auto filter = std::make_shared<filters::Filter>(filters::Filter::parse(texts));
    return pool_.run([this, ns, filter] {
             auto all = store_.view([&](const metadata::ReadTx& tx) { return mc::list(tx, ns); });
             std::erase_if(all, [&](const metadata::Container& c) { return !filter->matches(containerFields(c)); });
             return all;
           })
        .then([context](std::vector<metadata::Container> all) mutable {
          auto out = context.getResults().initContainers(all.size());
          for (size_t i = 0; i < all.size(); ++i) toRpc(all[i], out[i]);
        });
  });
}

kj::Promise<void> ContainersService::create(CreateContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    metadata::Container wanted = prepareNew(fromRpc(context.getParams().getContainer()));
    return pool_.run([this, ns, wanted] {
             auto created = store_.update([&](metadata::WriteTx& tx) { return mc::create(tx, ns, wanted); });
             events_.publish(ns, "/containers/create", eventPayload(created));
             return created;
           })
        .then([context](metadata::Container c) mutable { toRpc(c, context.getResults().initContainer()); });
  });
}

kj::Promise<void> ContainersService::update(UpdateContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    metadata::Container wanted = fromRpc(params.getContainer());
    std::vector<std::string> fields;
    for (auto f : params.getFields()) fields.push_back(text(f));
    return pool_.run([this, ns, wanted, fields] {
             auto updated = updateRecord(ns, wanted, fields);
             events_.publish(ns, "/containers/update", updateEventPayload(updated));
             return updated;
           })
        .then([context](metadata::Container c) mutable { toRpc(c, context.getResults().initContainer()); });
  });
}

kj::Promise<void> ContainersService::delete_(DeleteContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::string id = text(context.getParams().getId());
    return pool_.run([this, ns, id] {
      auto removed = removeRecord(ns, id);
      events_.publish(ns, "/containers/delete", eventPayload(removed));
      if (options_.afterDelete) options_.afterDelete();
    });
  });
}

}  // namespace tenon::containers
