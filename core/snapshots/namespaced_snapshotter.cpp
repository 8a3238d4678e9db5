#include "snapshots/namespaced_snapshotter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <set>

#include "metadata/namespaces.hpp"

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

std::optional<SnapshotKind> kindOf(const SnapshotterTable& table, const std::string& backingKey) {
  try {
    return table.stat(backingKey).kind;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

const char* kindName(std::optional<SnapshotKind> kind) {
  if (!kind) return "unknown";
  switch (*kind) {
    case SnapshotKind::view: return "view";
    case SnapshotKind::active: return "active";
    case SnapshotKind::committed: return "committed";
  }
  return "unknown";
}

metadata::SnapshotRecord NamespacedSnapshotter::record(const std::string& ns, const std::string& key) const {
  return store_.view([&](const metadata::ReadTx& tx) { return sr::get(tx, ns, name_, key); });
}

metadata::LeaseResource NamespacedSnapshotter::leaseResource(const std::string& key) const {
  return {"snapshots/" + name_, key};
}

std::vector<Mount> NamespacedSnapshotter::create(bool active, const std::string& ns, const std::string& key,
                                                 const std::string& parent, const Labels& labels,
                                                 const std::string& lease) const {
  checkKey(key, "key");
  std::shared_lock hold(*gcLock_);
  std::string parentBacking;
  store_.view([&](const metadata::ReadTx& tx) {
    if (sr::find(tx, ns, name_, key))
      throw Error(TENON_ALREADY_EXISTS, fmt::format("snapshot {:?} already exists", key));
    if (!parent.empty()) parentBacking = sr::get(tx, ns, name_, parent).backingKey;
    if (!lease.empty()) metadata::leases::get(tx, ns, lease);  // before the plugin makes anything
  });
  std::string backing = newBackingKey(ns, key);
  std::vector<Mount> mounts =
      active ? table_.prepare(backing, parentBacking, labels) : table_.view(backing, parentBacking, labels);
  try {
    store_.update([&](metadata::WriteTx& tx) {
      sr::create(tx, ns, {name_, key, backing, parent, labels, 0, 0});
      if (!lease.empty()) metadata::leases::addResource(tx, ns, lease, leaseResource(key));
    });
  } catch (...) {
    try {
      table_.remove(backing);
    } catch (...) {
      // Left for recover(): no record points at it.
    }
    throw;
  }
  return mounts;
}

std::vector<Mount> NamespacedSnapshotter::prepare(const std::string& ns, const std::string& key,
                                                  const std::string& parent, const Labels& labels,
                                                  const std::string& lease) const {
  return create(true, ns, key, parent, labels, lease);
}

std::vector<Mount> NamespacedSnapshotter::view(const std::string& ns, const std::string& key,
                                               const std::string& parent, const Labels& labels,
                                               const std::string& lease) const {
  return create(false, ns, key, parent, labels, lease);
}

std::vector<Mount> NamespacedSnapshotter::mounts(const std::string& ns, const std::string& key) const {
  return table_.mounts(record(ns, key).backingKey);
}

void NamespacedSnapshotter::commit(const std::string& ns, const std::string& name, const std::string& key,
                                   const Labels& labels, const std::string& lease) const {
  checkKey(name, "name");
  std::shared_lock hold(*gcLock_);
  metadata::SnapshotRecord active = store_.view([&](const metadata::ReadTx& tx) {
    if (sr::find(tx, ns, name_, name))
      throw Error(TENON_ALREADY_EXISTS, fmt::format("snapshot {:?} already exists", name));
    if (!lease.empty()) metadata::leases::get(tx, ns, lease);
    return sr::get(tx, ns, name_, key);
  });
  if (kindOf(table_, active.backingKey) != SnapshotKind::active)
    throw Error(TENON_FAILED_PRECONDITION, fmt::format("snapshot {:?} is not active", key));
  std::string backing = newBackingKey(ns, name);
  table_.commit(backing, active.backingKey, labels);
  store_.update([&](metadata::WriteTx& tx) {
    sr::remove(tx, ns, name_, key);
    sr::create(tx, ns, {name_, name, backing, active.parent, labels, 0, 0});
    if (lease.empty()) return;
    metadata::leases::addResource(tx, ns, lease, leaseResource(name));
    metadata::leases::removeResource(tx, ns, lease, leaseResource(key));
  });
}

void NamespacedSnapshotter::remove(const std::string& ns, const std::string& key) const {
  release(store_.update([&](metadata::WriteTx& tx) { return forget(tx, ns, key); }));
}

std::string NamespacedSnapshotter::forget(metadata::WriteTx& tx, const std::string& ns, const std::string& key) const {
  return sr::remove(tx, ns, name_, key).backingKey;
}

void NamespacedSnapshotter::release(const std::string& backingKey) const { table_.remove(backingKey); }

Described NamespacedSnapshotter::stat(const std::string& ns, const std::string& key) const {
  auto found = record(ns, key);
  return Described{found, table_.stat(found.backingKey).kind};
}

bool NamespacedSnapshotter::exists(const std::string& ns, const std::string& key) const {
  return store_.view([&](const metadata::ReadTx& tx) { return sr::find(tx, ns, name_, key).has_value(); });
}

Described NamespacedSnapshotter::update(const std::string& ns, const std::string& key, const Labels& labels) const {
  auto updated = store_.update([&](metadata::WriteTx& tx) { return sr::setLabels(tx, ns, name_, key, labels); });
  return Described{updated, kindOf(table_, updated.backingKey)};
}

SnapshotUsage NamespacedSnapshotter::usage(const std::string& ns, const std::string& key) const {
  return table_.usage(record(ns, key).backingKey);
}

std::vector<Described> NamespacedSnapshotter::list(const std::string& ns) const {
  auto records = store_.view([&](const metadata::ReadTx& tx) { return sr::list(tx, ns, name_); });
  std::vector<Described> out;
  out.reserve(records.size());
  for (auto& r : records) {
    auto kind = kindOf(table_, r.backingKey);
    out.push_back(Described{std::move(r), kind});
  }
  return out;
}

NamespacedSnapshotter::Recovery NamespacedSnapshotter::recover(
    const std::function<void(const std::string&)>& warn) const {
  Recovery done;
  std::vector<SnapshotInfo> strays;
  std::set<std::string> present;
  table_.walk([&](const SnapshotInfo& info) {
    present.insert(info.name);
    bool recorded = store_.view(
        [&](const metadata::ReadTx& tx) { return sr::findByBackingKey(tx, name_, info.name).has_value(); });
    if (!recorded) strays.push_back(info);
  });
  done.dangling = removeDangling(present, warn);
  // Leaves first, repeatedly: the plugin refuses to remove a parent before its children.
  for (bool progress = true; progress && !strays.empty();) {
    progress = false;
    for (auto it = strays.begin(); it != strays.end();) {
      bool isParent = std::any_of(strays.begin(), strays.end(), [&](const SnapshotInfo& s) { return s.parent == it->name; });
      if (isParent) {
        ++it;
        continue;
      }
      try {
        table_.remove(it->name);
        ++done.strays;
      } catch (const std::exception& e) {
        warn(fmt::format("snapshotter {}: cannot remove stray snapshot {:?}: {}", name_, it->name, e.what()));
      }
      it = strays.erase(it);
      progress = true;
    }
  }
  for (const SnapshotInfo& left : strays)
    warn(fmt::format("snapshotter {}: stray snapshot {:?} parents a recorded one; kept", name_, left.name));
  try {
    table_.cleanup();
  } catch (const Error& e) {
    if (e.code() != TENON_NOT_IMPLEMENTED) warn(fmt::format("snapshotter {}: cleanup: {}", name_, e.what()));
  }
  return done;
}

size_t NamespacedSnapshotter::removeDangling(const std::set<std::string>& present,
                                             const std::function<void(const std::string&)>& warn) const {
  size_t removed = 0;
  store_.update([&](metadata::WriteTx& tx) {
    for (const auto& ns : metadata::namespaces::list(tx)) {
      for (const auto& r : sr::list(tx, ns.name, name_)) {
        if (present.count(r.backingKey)) continue;
        if (!sr::children(tx, ns.name, name_, r.key).empty()) {
          warn(fmt::format("snapshotter {}: snapshot {:?} of namespace {} is missing from the plugin", name_, r.key, ns.name));
          continue;
        }
        sr::remove(tx, ns.name, name_, r.key);
        ++removed;
      }
    }
  });
  return removed;
}

}  // namespace tenon::snapshots
