// One snapshotter plugin as the core's services use it: keys are a
// namespace's own. metadata/snapshot_records maps each (namespace,
// snapshotter, key) onto the backing key the plugin knows, so one namespace
// never sees another's snapshots. Used by the Snapshots RPC service, image
// unpacking, tasks and GC. Blocking: call it off the event loop.
//
// Order for crash safety: prepare/view = plugin first, then the record (a
// failed record removes the plugin snapshot); remove = record first (children
// refused there), then the plugin; commit = plugin commit under a new backing
// key, then one transaction swapping the active record for the committed one.
// What a crash leaves in the plugin with no record is a stray: recover()
// deletes them at start.
//
// A lease named at prepare/view/commit holds the new snapshot (resource
// "snapshots/<snapshotter>") from the transaction that records it, so that GC
// never sees the record unheld.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "metadata/leases.hpp"
#include "metadata/metadata_store.hpp"
#include "metadata/snapshot_records.hpp"
#include "snapshots/snapshotter_table.hpp"

namespace tenon::snapshots {

// A record with the kind its plugin reports (none when the plugin cannot say).
struct Described {
  metadata::SnapshotRecord record;
  std::optional<SnapshotKind> kind;
};

const char* kindName(std::optional<SnapshotKind> kind);

class NamespacedSnapshotter {
 public:
  NamespacedSnapshotter(std::string name, SnapshotterTable table, metadata::MetadataStore& store)
      : name_(std::move(name)), table_(table), store_(store) {}

  const std::string& name() const { return name_; }

  // Creates the active snapshot `key` on the committed `parent` ("" for none); its mounts.
  // A non-empty `lease` holds the snapshot (checked before the plugin is called).
  // Errors: already_exists (key), not_found (parent, lease), invalid_argument (empty key).
  std::vector<Mount> prepare(const std::string& ns, const std::string& key, const std::string& parent,
                             const Labels& labels = {}, const std::string& lease = "") const;
  // Creates the read-only view `key` of `parent`; its mounts.
  std::vector<Mount> view(const std::string& ns, const std::string& key, const std::string& parent,
                          const Labels& labels = {}, const std::string& lease = "") const;
  std::vector<Mount> mounts(const std::string& ns, const std::string& key) const;
  // Turns the active `key` into the committed `name`; failed_precondition when not active.
  // A non-empty `lease` holds `name` and lets go of `key`, as containerd's does.
  void commit(const std::string& ns, const std::string& name, const std::string& key, const Labels& labels = {},
              const std::string& lease = "") const;
  // failed_precondition while it has children; not_found for an unknown key.
  void remove(const std::string& ns, const std::string& key) const;
  Described stat(const std::string& ns, const std::string& key) const;
  // Whether the namespace has the snapshot `key`.
  bool exists(const std::string& ns, const std::string& key) const;
  Described update(const std::string& ns, const std::string& key, const Labels& labels) const;
  SnapshotUsage usage(const std::string& ns, const std::string& key) const;
  // The namespace's snapshots in key order.
  std::vector<Described> list(const std::string& ns) const;
  // Brings records and plugin back in step after a crash: removes what the
  // plugin holds that no record names (a crash between the plugin call and
  // the record), and records whose snapshot the plugin lacks (a crash inside
  // a commit) unless they have children; then lets the plugin clean up after
  // itself. What cannot be fixed is reported through `warn`, the rest still goes.
  struct Recovery {
    size_t strays = 0;    // plugin snapshots removed
    size_t dangling = 0;  // records removed
  };
  Recovery recover(const std::function<void(const std::string& what)>& warn) const;

  // remove() in two steps, for garbage collection: it removes many records in
  // one transaction of its own, the one in which it marked them unreachable.
  // forget() removes the record of `key` in `tx` (failed_precondition while it
  // has children, not_found) and returns its backing key; once `tx` has
  // committed, release() removes that from the plugin.
  std::string forget(metadata::WriteTx& tx, const std::string& ns, const std::string& key) const;
  void release(const std::string& backingKey) const;
  // Held shared while a snapshot is made (lookups, plugin call, record) and
  // exclusive by GC while it sweeps records: a parent GC removed between a child's
  // plugin call and its record would leave the child's plugin snapshot behind.
  std::shared_mutex& gcLock() const { return *gcLock_; }

 private:
  std::vector<Mount> create(bool active, const std::string& ns, const std::string& key, const std::string& parent,
                            const Labels& labels, const std::string& lease) const;
  // The lease resource that holds `key` of this snapshotter.
  metadata::LeaseResource leaseResource(const std::string& key) const;
  metadata::SnapshotRecord record(const std::string& ns, const std::string& key) const;
  size_t removeDangling(const std::set<std::string>& present, const std::function<void(const std::string&)>& warn) const;

  std::string name_;
  SnapshotterTable table_;
  metadata::MetadataStore& store_;
  // Shared by copies, which drive the same plugin.
  std::shared_ptr<std::shared_mutex> gcLock_ = std::make_shared<std::shared_mutex>();
};

}  // namespace tenon::snapshots
