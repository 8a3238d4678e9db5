#include "snapshots/snapshots_service.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <random>

#include "filters/filter.hpp"
#include "metadata/snapshot_records.hpp"
#include "rpc/labels.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::snapshots {

namespace sr = metadata::snapshot_records;

namespace {

// A backing key unique across namespaces, readable in the plugin's listings.
std::string newBackingKey(const std::string& ns, const std::string& key) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("{}/{:016x}/{}", ns, random(), key);
}

void checkKey(const std::string& key, const char* what) {
  if (key.empty()) throw Error(TENON_INVALID_ARGUMENT, fmt::format("{} must not be empty", what));
}

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

const char* kindName(std::optional<SnapshotKind> kind) {
  if (!kind) return "unknown";
  switch (*kind) {
    case SnapshotKind::view: return "view";
    case SnapshotKind::active: return "active";
    case SnapshotKind::committed: return "committed";
  }
  return "unknown";
}

// A record with the kind its plugin reports (none when the plugin cannot say).
struct Described {
  metadata::SnapshotRecord record;
  std::optional<SnapshotKind> kind;
};

void toRpc(const Described& d, rpc::Info::Builder out) {
  out.setName(d.record.key);
  out.setParent(d.record.parent);
  out.setKind(toRpc(d.kind));
  rpc::toRpc(d.record.labels, out.initLabels(d.record.labels.size()));
  out.setCreatedAt(d.record.createdAt);
  out.setUpdatedAt(d.record.updatedAt);
}

std::optional<SnapshotKind> kindOf(const SnapshotterTable& table, const std::string& backingKey) {
  try {
    return table.stat(backingKey).kind;
  } catch (const std::exception&) {
    return std::nullopt;
  }
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

std::vector<Mount> SnapshotsService::create(bool active, const std::string& ns, const std::string& key,
                                            const std::string& parent, const Labels& labels) {
  checkKey(key, "key");
  std::string parentBacking;
  store_.view([&](const metadata::ReadTx& tx) {
    if (sr::find(tx, ns, snapshotter_, key))
      throw Error(TENON_ALREADY_EXISTS, fmt::format("snapshot {:?} already exists", key));
    if (!parent.empty()) parentBacking = sr::get(tx, ns, snapshotter_, parent).backingKey;
  });
  std::string backing = newBackingKey(ns, key);
  std::vector<Mount> mounts =
      active ? table_.prepare(backing, parentBacking, labels) : table_.view(backing, parentBacking, labels);
  try {
    store_.update([&](metadata::WriteTx& tx) {
      sr::create(tx, ns, {snapshotter_, key, backing, parent, labels, 0, 0});
    });
  } catch (...) {
    try {
      table_.remove(backing);
    } catch (...) {
      // Left for cleanup: no record points at it.
    }
    throw;
  }
  return mounts;
}

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
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string key = params.getKey(), parent = params.getParent();
    Labels labels = rpc::fromRpc(params.getLabels());
    return replyMounts(
        pool_.run([this, active, ns, key, parent, labels] { return create(active, ns, key, parent, labels); }),
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
    return replyMounts(pool_.run([this, ns, key] {
                         auto record =
                             store_.view([&](const metadata::ReadTx& tx) { return sr::get(tx, ns, snapshotter_, key); });
                         return table_.mounts(record.backingKey);
                       }),
                       context);
  });
}

kj::Promise<void> SnapshotsService::commit(CommitContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string name = params.getName(), key = params.getKey();
    Labels labels = rpc::fromRpc(params.getLabels());
    return pool_.run([this, ns, name, key, labels] {
      checkKey(name, "name");
      metadata::SnapshotRecord active = store_.view([&](const metadata::ReadTx& tx) {
        if (sr::find(tx, ns, snapshotter_, name))
          throw Error(TENON_ALREADY_EXISTS, fmt::format("snapshot {:?} already exists", name));
        return sr::get(tx, ns, snapshotter_, key);
      });
      if (kindOf(table_, active.backingKey) != SnapshotKind::active)
        throw Error(TENON_FAILED_PRECONDITION, fmt::format("snapshot {:?} is not active", key));
      std::string backing = newBackingKey(ns, name);
      table_.commit(backing, active.backingKey, labels);
      store_.update([&](metadata::WriteTx& tx) {
        sr::remove(tx, ns, snapshotter_, key);
        sr::create(tx, ns, {snapshotter_, name, backing, active.parent, labels, 0, 0});
      });
    });
  });
}

kj::Promise<void> SnapshotsService::remove(RemoveContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string key = params.getKey();
    return pool_.run([this, ns, key] {
      auto record = store_.update([&](metadata::WriteTx& tx) { return sr::remove(tx, ns, snapshotter_, key); });
      table_.remove(record.backingKey);
    });
  });
}

kj::Promise<void> SnapshotsService::stat(StatContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string key = params.getKey();
    return pool_.run([this, ns, key] {
             auto record = store_.view([&](const metadata::ReadTx& tx) { return sr::get(tx, ns, snapshotter_, key); });
             return Described{record, table_.stat(record.backingKey).kind};
           })
        .then([context](Described d) mutable { toRpc(d, context.getResults().initInfo()); });
  });
}

kj::Promise<void> SnapshotsService::update(UpdateContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string key = params.getKey();
    Labels labels = rpc::fromRpc(params.getLabels());
    return pool_.run([this, ns, key, labels] {
             auto record = store_.update(
                 [&](metadata::WriteTx& tx) { return sr::setLabels(tx, ns, snapshotter_, key, labels); });
             return Described{record, kindOf(table_, record.backingKey)};
           })
        .then([context](Described d) mutable { toRpc(d, context.getResults().initInfo()); });
  });
}

kj::Promise<void> SnapshotsService::usage(UsageContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string key = params.getKey();
    return pool_.run([this, ns, key] {
             auto record = store_.view([&](const metadata::ReadTx& tx) { return sr::get(tx, ns, snapshotter_, key); });
             return table_.usage(record.backingKey);
           })
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
             auto records = store_.view([&](const metadata::ReadTx& tx) { return sr::list(tx, ns, snapshotter_); });
             std::vector<Described> out;
             for (auto& record : records) {
               Described d{record, kindOf(table_, record.backingKey)};
               if (filter->matches(snapshotFields(d))) out.push_back(std::move(d));
             }
             return out;
           })
        .then([context](std::vector<Described> all) mutable {
          auto out = context.getResults().initInfos(all.size());
          for (size_t i = 0; i < all.size(); ++i) toRpc(all[i], out[i]);
        });
  });
}

}  // namespace tenon::snapshots
