/* tenon C ABI: the Mount shared by snapshotters (producers) and runtimes
 * (consumers). It is the same value as the RPC schema's Mount and as an entry
 * of an OCI runtime spec's `mounts`: {type, source, target, options}. A
 * snapshotter never runs containers; a runtime never knows which snapshotter
 * made its mounts. */
#ifndef TENON_MOUNT_H
#define TENON_MOUNT_H

#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One mount, as mount(8) would take it: `mount -t TYPE -o OPTIONS SOURCE TARGET`.
 * `target` is relative to the place the list is mounted (empty or "/" for the
 * root itself). Options are mount(8) options ("ro", "lowerdir=a:b", ...). */
typedef struct tenon_mount {
  uint32_t struct_size; /* sizeof(tenon_mount) of the producer */
  const char* type;     /* "overlay", "bind", "aufs", ... */
  const char* source;
  const char* target;
  tenon_strings options;
} tenon_mount;

/* A list of mounts handed out by its producer. The receiver declares it
 * zeroed with struct_size set to its own sizeof; the producer fills only the
 * fields that struct_size covers, and the receiver calls `release(list)`
 * exactly once; `release` frees everything the producer allocated, which
 * lives behind `private_data`. Mount in order, unmount in reverse.
 * An overlay's `lowerdir=` option for a long chain may not fit mount(2)'s
 * one-page limit as absolute paths: a consumer then mounts with the lower
 * directories relative to their common parent, from that working directory
 * (as containerd does). */
typedef struct tenon_mount_list {
  uint32_t struct_size; /* sizeof(tenon_mount_list) of the receiver */
  const tenon_mount* items;
  size_t len;
  void (*release)(struct tenon_mount_list* list);
  void* private_data;
} tenon_mount_list;

#ifdef __cplusplus
}
#endif

#endif /* TENON_MOUNT_H */
