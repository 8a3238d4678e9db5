#include <tenon/c_boundary.hpp>
#include "snapshots/snapshotter_table.hpp"

#include <cstddef>
#include <tenon/error.hpp>
#include <utility>

namespace tenon::snapshots {

namespace {

// The ABI 1 sizes of the structs a plugin hands back: smaller is a broken plugin.
constexpr size_t kInfoV1Size = offsetof(tenon_snapshot_info, updated) + sizeof(tenon_time);
constexpr size_t kMountV1Size = offsetof(tenon_mount, options) + sizeof(tenon_strings);


// Borrowed C labels over `labels`, valid while `labels` is.
struct CLabels {
  std::vector<tenon_label> items;
  explicit CLabels(const Labels& labels) {
    for (const auto& [k, v] : labels) items.push_back({cString(k, "a label key"), cString(v, "a label value")});
  }
  tenon_labels view() const { return {items.data(), items.size()}; }
};

SnapshotInfo toInfo(const tenon_snapshot_info* c) {
  if (c == nullptr || c->struct_size < kInfoV1Size)
    fail(TENON_INTERNAL, "the snapshotter returned a malformed tenon_snapshot_info");
  if (c->kind < TENON_SNAPSHOT_VIEW || c->kind > TENON_SNAPSHOT_COMMITTED)
    fail(TENON_INTERNAL, "the snapshotter returned an unknown snapshot kind " + std::to_string(c->kind));
  SnapshotInfo info{static_cast<SnapshotKind>(c->kind), copyText(c->name), copyText(c->parent), {}, c->created, c->updated};
  for (size_t i = 0; i < c->labels.len; ++i) info.labels[copyText(c->labels.items[i].key)] = copyText(c->labels.items[i].value);
  return info;
}

// A sink of snapshot infos over `visit`, which takes a SnapshotInfo.
template <class Visit>
auto makeSink(Visit visit) {
  return callbackSink<const tenon_snapshot_info*>(
      [visit = std::move(visit)](const tenon_snapshot_info* info) mutable { visit(toInfo(info)); });
}

// Checks the call, then copies and releases what the plugin filled.
std::vector<Mount> takeChecked(tenon_status status, const ErrorRecord& e, tenon_mount_list& list) {
  if (status != TENON_OK && list.release) list.release(&list);
  check(status, e.err);
  if (list.release == nullptr) fail(TENON_INTERNAL, "the snapshotter returned a mount list without release");
  if (list.len > 0 && list.items == nullptr) {
    list.release(&list);
    fail(TENON_INTERNAL, "the snapshotter returned a mount list without items");
  }
  for (size_t i = 0; i < list.len; ++i) {
    if (list.items[i].struct_size < kMountV1Size) {
      list.release(&list);
      fail(TENON_INTERNAL, "the snapshotter returned a malformed tenon_mount");
    }
  }
  return takeMounts(&list);
}

}  // namespace

std::vector<Mount> SnapshotterTable::prepare(const std::string& key, const std::string& parent,
                                             const Labels& labels) const {
  auto fn = requireFunction(service_.table->prepare, "snapshotter", "prepare");
  CLabels c(labels);
  tenon_mount_list list = emptyMountList();
  ErrorRecord e;
  tenon_status status = fn(service_.self, cString(key, "key"), cString(parent, "parent"), c.view(), &list, &e.err);
  return takeChecked(status, e, list);
}

std::vector<Mount> SnapshotterTable::view(const std::string& key, const std::string& parent,
                                          const Labels& labels) const {
  auto fn = requireFunction(service_.table->view, "snapshotter", "view");
  CLabels c(labels);
  tenon_mount_list list = emptyMountList();
  ErrorRecord e;
  tenon_status status = fn(service_.self, cString(key, "key"), cString(parent, "parent"), c.view(), &list, &e.err);
  return takeChecked(status, e, list);
}

std::vector<Mount> SnapshotterTable::mounts(const std::string& key) const {
  auto fn = requireFunction(service_.table->mounts, "snapshotter", "mounts");
  tenon_mount_list list = emptyMountList();
  ErrorRecord e;
  tenon_status status = fn(service_.self, cString(key, "key"), &list, &e.err);
  return takeChecked(status, e, list);
}

void SnapshotterTable::commit(const std::string& name, const std::string& key, const Labels& labels) const {
  auto fn = requireFunction(service_.table->commit, "snapshotter", "commit");
  CLabels c(labels);
  ErrorRecord e;
  check(fn(service_.self, cString(name, "name"), cString(key, "key"), c.view(), &e.err), e.err);
}

void SnapshotterTable::remove(const std::string& key) const {
  auto fn = requireFunction(service_.table->remove, "snapshotter", "remove");
  ErrorRecord e;
  check(fn(service_.self, cString(key, "key"), &e.err), e.err);
}

SnapshotInfo SnapshotterTable::stat(const std::string& key) const {
  auto fn = requireFunction(service_.table->stat, "snapshotter", "stat");
  SnapshotInfo out;
  auto sink = makeSink([&](SnapshotInfo i) { out = std::move(i); });
  ErrorRecord e;
  sink.check(fn(service_.self, cString(key, "key"), &decltype(sink)::call, &sink, &e.err), e.err);
  if (!sink.called) fail(TENON_INTERNAL, "the snapshotter answered stat for " + key + " without calling its sink");
  return out;
}

SnapshotInfo SnapshotterTable::update(const std::string& key, const Labels& labels) const {
  auto fn = requireFunction(service_.table->update, "snapshotter", "update");
  CLabels c(labels);
  SnapshotInfo out;
  auto sink = makeSink([&](SnapshotInfo i) { out = std::move(i); });
  ErrorRecord e;
  sink.check(fn(service_.self, cString(key, "key"), c.view(), &decltype(sink)::call, &sink, &e.err), e.err);
  if (!sink.called) fail(TENON_INTERNAL, "the snapshotter answered update for " + key + " without calling its sink");
  return out;
}

SnapshotUsage SnapshotterTable::usage(const std::string& key) const {
  auto fn = requireFunction(service_.table->usage, "snapshotter", "usage");
  tenon_snapshot_usage c{};
  c.struct_size = sizeof c;
  ErrorRecord e;
  check(fn(service_.self, cString(key, "key"), &c, &e.err), e.err);
  return {c.size_bytes, c.inodes};
}

void SnapshotterTable::walk(const std::function<void(const SnapshotInfo&)>& visit) const {
  auto fn = requireFunction(service_.table->walk, "snapshotter", "walk");
  auto sink = makeSink([&](const SnapshotInfo& i) { visit(i); });
  ErrorRecord e;
  sink.check(fn(service_.self, &decltype(sink)::call, &sink, &e.err), e.err);
}

void SnapshotterTable::cleanup() const {
  auto fn = requireFunction(service_.table->cleanup, "snapshotter", "cleanup");
  ErrorRecord e;
  check(fn(service_.self, &e.err), e.err);
}

}  // namespace tenon::snapshots
