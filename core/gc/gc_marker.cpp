#include "gc/gc_marker.hpp"

#include <deque>

#include "metadata/containers.hpp"
#include "metadata/content_records.hpp"
#include "metadata/images.hpp"
#include "metadata/leases.hpp"
#include "metadata/snapshot_records.hpp"

namespace tenon::gc {

namespace {

// Walks references breadth first from the roots pushed into it.
class Walk {
 public:
  Walk(const metadata::ReadTx& tx, const std::string& ns) : tx_(tx), ns_(ns) {}

  void content(const std::string& digest) {
    if (reachable_.content.insert(digest).second) pending_.push_back({true, "", digest});
  }
  void snapshot(const std::string& snapshotter, const std::string& key) {
    if (reachable_.snapshots.insert({snapshotter, key}).second) pending_.push_back({false, snapshotter, key});
  }

  Reachable run() {
    while (!pending_.empty()) {
      Item item = pending_.front();
      pending_.pop_front();
      if (item.isContent) {
        if (auto record = metadata::content_records::find(tx_, ns_, item.key)) follow(record->labels);
      } else if (auto record = metadata::snapshot_records::find(tx_, ns_, item.snapshotter, item.key)) {
        if (!record->parent.empty()) snapshot(item.snapshotter, record->parent);
        follow(record->labels);
      }
    }
    return std::move(reachable_);
  }

 private:
  struct Item {
    bool isContent;
    std::string snapshotter;
    std::string key;
  };

  void follow(const metadata::Labels& labels) {
    for (const auto& [key, value] : labels) {
      if (key.starts_with(kContentRefPrefix)) {
        content(value);
      } else if (key.starts_with(kSnapshotRefPrefix)) {
        std::string rest = key.substr(kSnapshotRefPrefix.size());
        snapshot(rest.substr(0, rest.find('.')), value);
      }
    }
  }

  const metadata::ReadTx& tx_;
  const std::string& ns_;
  Reachable reachable_;
  std::deque<Item> pending_;
};

}  // namespace

Reachable mark(const metadata::ReadTx& tx, const std::string& ns, int64_t now) {
  Walk walk(tx, ns);
  for (const auto& image : metadata::images::list(tx, ns)) walk.content(image.target.digest);
  for (const auto& container : metadata::containers::list(tx, ns))
    if (!container.snapshotKey.empty()) walk.snapshot(container.snapshotter, container.snapshotKey);
  for (const auto& record : metadata::content_records::list(tx, ns))
    if (record.labels.count(std::string(kRootLabel))) walk.content(record.digest);
  // As in containerd, a snapshot labelled as a root is kept with its parents
  // (a view someone made by hand, say).
  for (const auto& record : metadata::snapshot_records::list(tx, ns))
    if (record.labels.count(std::string(kRootLabel))) walk.snapshot(record.snapshotter, record.key);
  for (const auto& lease : metadata::leases::list(tx, ns)) {
    if (lease.expiresAt != 0 && lease.expiresAt <= now) continue;
    for (const auto& resource : metadata::leases::resources(tx, ns, lease.id)) {
      if (resource.type == "content") walk.content(resource.key);
      if (resource.type.starts_with("snapshots/")) walk.snapshot(resource.type.substr(10), resource.key);
    }
  }
  return walk.run();
}

}  // namespace tenon::gc
