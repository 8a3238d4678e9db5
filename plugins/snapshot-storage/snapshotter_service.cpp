#include "snapshotter_service.hpp"

#include <tenon/c_boundary.hpp>
#include <tenon/plugin.h>

#include <string>
#include <tenon/error.hpp>
#include <tenon/mount.hpp>
#include <vector>

#include "directory_snapshotter.hpp"

namespace tenon::snapshot_storage {

namespace {

DirectorySnapshotter& snapshotterOf(void* self) { return *static_cast<DirectorySnapshotter*>(self); }

Labels labelsOf(tenon_labels c) {
  if (c.len > 0 && c.items == nullptr) fail(TENON_INVALID_ARGUMENT, "labels are NULL");
  Labels out;
  for (size_t i = 0; i < c.len; ++i) out[std::string(argText(c.items[i].key, "a label key"))] = argText(c.items[i].value, "a label value");
  return out;
}

// Hands `s` to a C sink; its answer is what the call returns.
tenon_status sendInfo(tenon_snapshot_sink sink, void* ctx, const Snapshot& s) {
  std::vector<tenon_label> labels;
  for (const auto& [k, v] : s.labels) labels.push_back({k.c_str(), v.c_str()});
  tenon_snapshot_info c{};
  c.struct_size = sizeof c;
  c.kind = static_cast<tenon_snapshot_kind>(s.kind);
  c.name = s.key.c_str();
  c.parent = s.parent.c_str();
  c.labels = {labels.data(), labels.size()};
  c.created = s.created;
  c.updated = s.updated;
  return sink(ctx, &c);
}

tenon_status prepare(void* self, const char* key, const char* parent, tenon_labels labels, tenon_mount_list* mounts,
                     tenon_error* err) {
  return guard(err, [&] {
    argRequired(mounts, "mounts");
    exportMounts(snapshotterOf(self).prepare(argText(key, "key"), argText(parent, "parent"), labelsOf(labels)), mounts);
  });
}

tenon_status view(void* self, const char* key, const char* parent, tenon_labels labels, tenon_mount_list* mounts,
                  tenon_error* err) {
  return guard(err, [&] {
    argRequired(mounts, "mounts");
    exportMounts(snapshotterOf(self).view(argText(key, "key"), argText(parent, "parent"), labelsOf(labels)), mounts);
  });
}

tenon_status mounts(void* self, const char* key, tenon_mount_list* mounts, tenon_error* err) {
  return guard(err, [&] {
    argRequired(mounts, "mounts");
    exportMounts(snapshotterOf(self).mounts(argText(key, "key")), mounts);
  });
}

tenon_status commit(void* self, const char* name, const char* key, tenon_labels labels, tenon_error* err) {
  return guard(err, [&] { snapshotterOf(self).commit(argText(name, "name"), argText(key, "key"), labelsOf(labels)); });
}

tenon_status remove(void* self, const char* key, tenon_error* err) {
  return guard(err, [&] { snapshotterOf(self).remove(argText(key, "key")); });
}

tenon_status stat(void* self, const char* key, tenon_snapshot_sink sink, void* ctx, tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    stopped = sendInfo(sink, ctx, snapshotterOf(self).stat(argText(key, "key")));
  });
}

tenon_status update(void* self, const char* key, tenon_labels labels, tenon_snapshot_sink sink, void* ctx,
                    tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    stopped = sendInfo(sink, ctx, snapshotterOf(self).update(argText(key, "key"), labelsOf(labels)));
  });
}

tenon_status usage(void* self, const char* key, tenon_snapshot_usage* usage, tenon_error* err) {
  return guard(err, [&] {
    tenon_snapshot_usage& out = argRequired(usage, "usage");
    DiskUsage u = snapshotterOf(self).usage(argText(key, "key"));
    // Fill only what the caller's struct has room for.
    if (TENON_HAS_FIELD(tenon_snapshot_usage, out.struct_size, size_bytes)) out.size_bytes = u.bytes;
    if (TENON_HAS_FIELD(tenon_snapshot_usage, out.struct_size, inodes)) out.inodes = u.inodes;
  });
}

tenon_status walk(void* self, tenon_snapshot_sink sink, void* ctx, tenon_error* err) {
  tenon_status stopped = TENON_OK;
  return guardWithSink(err, stopped, [&] {
    argRequired(sink, "sink");
    snapshotterOf(self).walk([&](const Snapshot& s) {
      // A sink's stop ends the walk without an error of ours.
      if (stopped == TENON_OK) stopped = sendInfo(sink, ctx, s);
    });
  });
}

tenon_status cleanup(void* self, tenon_error* err) {
  return guard(err, [&] { snapshotterOf(self).cleanup(); });
}

const tenon_snapshotter_service kService = {
    sizeof(tenon_snapshotter_service),
    prepare,
    view,
    mounts,
    commit,
    remove,
    stat,
    update,
    usage,
    walk,
    cleanup,
};

}  // namespace

const tenon_snapshotter_service& snapshotterService() { return kService; }

}  // namespace tenon::snapshot_storage
