/* tenon C ABI: the snapshotter service (TENON_PLUGIN_SNAPSHOTTER).
 *
 * A snapshotter keeps a tree of filesystem snapshots and hands out Mount
 * lists for them; it never runs containers. The lifecycle, as in containerd:
 *  - `prepare(key, parent)` makes an ACTIVE snapshot: a writable filesystem on
 *    top of the committed `parent` ("" for an empty one). Mount it, write to it.
 *  - `commit(name, key)` turns the active snapshot `key` into the COMMITTED
 *    snapshot `name`, which can then be a parent; `key` is gone afterwards.
 *  - `view(key, parent)` makes a read-only VIEW of a committed snapshot.
 *  - `remove(key)` deletes a snapshot that has no children.
 * Keys are opaque to the snapshotter: the core namespaces them before they
 * arrive. Errors: unknown key or parent -> not_found; key taken ->
 * already_exists; removing a snapshot with children, or committing a
 * snapshot that is not active -> failed_precondition. */
#ifndef TENON_SNAPSHOTTER_H
#define TENON_SNAPSHOTTER_H

#include "mount.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t tenon_snapshot_kind;
#define TENON_SNAPSHOT_VIEW      1
#define TENON_SNAPSHOT_ACTIVE    2
#define TENON_SNAPSHOT_COMMITTED 3

/* What is known of one snapshot; borrowed for the duration of a sink call. */
typedef struct tenon_snapshot_info {
  uint32_t struct_size;
  tenon_snapshot_kind kind;
  const char* name;   /* its key */
  const char* parent; /* "" when it has none */
  tenon_labels labels;
  tenon_time created;
  tenon_time updated;
} tenon_snapshot_info;

/* Disk use of a snapshot's own layer (not its parents'): allocated bytes
 * (st_blocks * 512, as du counts) and inodes, hard links once. The caller
 * sets struct_size; the plugin fills the fields it covers. */
typedef struct tenon_snapshot_usage {
  uint32_t struct_size;
  int64_t size_bytes;
  int64_t inodes;
} tenon_snapshot_usage;

/* Receives one snapshot; return TENON_OK to go on, anything else to stop the
 * walk (that code is then returned by `walk`). */
typedef tenon_status (*tenon_snapshot_sink)(void* ctx, const tenon_snapshot_info* info);

typedef struct tenon_snapshotter_service {
  uint32_t struct_size; /* sizeof(tenon_snapshotter_service) of the plugin */

  /* Creates the active snapshot `key` on `parent` ("" for none) with `labels`
   * and fills `mounts` (release it) with what mounts it writable. May block. */
  tenon_status (*prepare)(void* self, const char* key, const char* parent, tenon_labels labels,
                          tenon_mount_list* mounts, tenon_error* err);
  /* Like prepare, but the snapshot is a read-only view of `parent`. */
  tenon_status (*view)(void* self, const char* key, const char* parent, tenon_labels labels,
                       tenon_mount_list* mounts, tenon_error* err);
  /* Fills `mounts` (release it) for an existing active snapshot or view. */
  tenon_status (*mounts)(void* self, const char* key, tenon_mount_list* mounts, tenon_error* err);
  /* Commits active snapshot `key` as committed snapshot `name` with `labels`. */
  tenon_status (*commit)(void* self, const char* name, const char* key, tenon_labels labels,
                         tenon_error* err);
  /* Removes snapshot `key` and its directories; it must have no children. */
  tenon_status (*remove)(void* self, const char* key, tenon_error* err);
  /* Calls `sink` once with the info of `key`. */
  tenon_status (*stat)(void* self, const char* key, tenon_snapshot_sink sink, void* ctx,
                       tenon_error* err);
  /* Replaces the labels of `key` with `labels`, then calls `sink` with the result. */
  tenon_status (*update)(void* self, const char* key, tenon_labels labels,
                         tenon_snapshot_sink sink, void* ctx, tenon_error* err);
  /* Writes the disk use of `key` into `usage`; may be slow on big trees. */
  tenon_status (*usage)(void* self, const char* key, tenon_snapshot_usage* usage, tenon_error* err);
  /* Calls `sink` for each snapshot, in no particular order. */
  tenon_status (*walk)(void* self, tenon_snapshot_sink sink, void* ctx, tenon_error* err);
  /* Removes directories that no snapshot record points to (left by a crash). */
  tenon_status (*cleanup)(void* self, tenon_error* err);
} tenon_snapshotter_service;

#ifdef __cplusplus
}
#endif

#endif /* TENON_SNAPSHOTTER_H */
