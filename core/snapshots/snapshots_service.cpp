#include "snapshots/snapshots_service.hpp"

#include <memory>

#include "filters/filter.hpp"
#include "rpc/labels.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::snapshots {

namespace {

void toRpc(const std::vector<Mount>& mounts, capnp::List<rpc::Mount>::Builder out) {
  for (size_t i = 0; i < mounts.size(); ++i) {
    out[i].setType(mounts[i].type);
    out[i].setSource(mounts[i].source);
    out[i].setTarget(mounts[i].target);
    auto options = out[i].initOptions(mounts[i].options.size());
    for (size_t j = 0; j < mounts[i].options.size(); ++j) options.set(j, mounts[i].options[j]);
  }
}

rpc::Kind toRpc(std::optional<SnapshotKind> kind) {
  if (!kind) return rpc::Kind::UNKNOWN;
  switch (*kind) {
    case SnapshotKind::view: return rpc::Kind::VIEW;
    case SnapshotKind::active: return rpc::Kind::ACTIVE;
    case SnapshotKind::committed: return rpc::Kind::COMMITTED;
  }
  return rpc::Kind::UNKNOWN;
}

void toRpc(const Described& d, rpc::Info::Builder out) {
  out.setName(d.record.key);
  out.setParent(d.record.parent);
  out.setKind(toRpc(d.kind));
  rpc::toRpc(d.record.labels, out.initLabels(d.record.labels.size()));
  out.setCreatedAt(d.record.createdAt);
  out.setUpdatedAt(d.record.updatedAt);
}

filters::FieldLookup snapshotFields(const Described& d) {
  return filters::labelledFields(
      [&d](const std::string& field) -> std::optional<std::string> {
        if (field == "name") return d.record.key;
        if (field == "parent") return d.record.parent;
        if (field == "kind") return std::string(kindName(d.kind));
        return std::nullopt;
      },
      d.record.labels);
}

}  // namespace

// Fills the `mounts` result of `context` once `mounts` arrive.
template <class Context>
kj::Promise<void> SnapshotsService::replyMounts(kj::Promise<std::vector<Mount>> mounts, Context context) {
  return mounts.then([context](std::vector<Mount> list) mutable {
    toRpc(list, context.getResults().initMounts(list.size()));
  });
}

// prepare and view differ only in the kind of snapshot they make.
template <class Context>
kj::Promise<void> SnapshotsService::serveCreate(Context context, bool active) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx()), lease = rpc::requestLease(params.getCtx());
    std::string key = params.getKey(), parent = params.getParent();
    Labels labels = rpc::fromRpc(params.getLabels());
    return replyMounts(pool_.run([this, active, ns, key, parent, labels, lease] {
                         if (!active) return snapshotter_.view(ns, key, parent, labels, lease);
                         auto mounts = snapshotter_.prepare(ns, key, parent, labels, lease);
                         events_.publish(ns, "/snapshot/prepare", {{"key", key}, {"parent", parent},
                                                                   {"snapshotter", snapshotter_.name()}});
                         return mounts;
                       }),
                       context);
  });
}

kj::Promise<void> SnapshotsService::prepare(PrepareContext context) { return serveCreate(context, true); }

kj::Promise<void> SnapshotsService::view(ViewContext context) { return serveCreate(context, false); }

kj::Promise<void> SnapshotsService::mounts(MountsContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string key = params.getKey();
    return replyMounts(pool_.run([this, ns, key] { return snapshotter_.mounts(ns, key); }), context);
  });
}

kj::Promise<void> SnapshotsService::commit(CommitContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx()), lease = rpc::requestLease(params.getCtx());
    std::string name = params.getName(), key = params.getKey();
    Labels labels = rpc::fromRpc(params.getLabels());
    return pool_.run([this, ns, name, key, labels, lease] {
      snapshotter_.commit(ns, name, key, labels, lease);
      events_.publish(ns, "/snapshot/commit", {{"key", key}, {"name", name}, {"snapshotter", snapshotter_.name()}});
    });
  });
}

kj::Promise<void> SnapshotsService::remove(RemoveContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string key = params.getKey();
    return pool_.run([this, ns, key] {
      snapshotter_.remove(ns, key);
      events_.publish(ns, "/snapshot/remove", {{"key", key}, {"snapshotter", snapshotter_.name()}});
    });
  });
}

kj::Promise<void> SnapshotsService::stat(StatContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string key = params.getKey();
    return pool_.run([this, ns, key] { return snapshotter_.stat(ns, key); }).then([context](Described d) mutable {
      toRpc(d, context.getResults().initInfo());
    });
  });
}

kj::Promise<void> SnapshotsService::update(UpdateContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string key = params.getKey();
    Labels labels = rpc::fromRpc(params.getLabels());
    return pool_.run([this, ns, key, labels] { return snapshotter_.update(ns, key, labels); })
        .then([context](Described d) mutable { toRpc(d, context.getResults().initInfo()); });
  });
}

kj::Promise<void> SnapshotsService::usage(UsageContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string key = params.getKey();
    return pool_.run([this, ns, key] { return snapshotter_.usage(ns, key); })
        .then([context](SnapshotUsage u) mutable {
          auto out = context.getResults().initUsage();
          out.setSize(u.sizeBytes);
          out.setInodes(u.inodes);
        });
  });
}

kj::Promise<void> SnapshotsService::list(ListContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::vector<std::string> texts;
    for (auto f : context.getParams().getFilters()) texts.emplace_back(f.cStr());
    auto filter = std::make_shared<filters::Filter>(filters::Filter::parse(texts));
    return pool_.run([this, ns, filter] {
             std::vector<Described> out;
             for (auto& d : snapshotter_.list(ns))
               if (filter->matches(snapshotFields(d))) out.push_back(std::move(d));
             return out;
           })
        .then([context](std::vector<Described> all) mutable {
          auto out = context.getResults().initInfos(all.size());
          for (size_t i = 0; i < all.size(); ++i) toRpc(all[i], out[i]);
        });
  });
}

}  // namespace tenon::snapshots
