/* tenon C ABI: the metrics service (TENON_PLUGIN_METRICS).
 *
 * A metrics plugin reads a task's resource use from its cgroup and watches it
 * for OOM kills. Samples are named values, so that a value that does not exist
 * on the running system (a cgroup v1 field on v2...) is simply not reported,
 * never reported as zero. */
#ifndef TENON_METRICS_H
#define TENON_METRICS_H

#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which task to measure; borrowed for the duration of a call. */
typedef struct tenon_metrics_target {
  uint32_t struct_size;
  const char* ns;
  const char* id;
  const char* cgroup_path; /* as in the OCI spec's linux.cgroupsPath */
  uint32_t pid;            /* the task's init pid, 0 when unknown */
} tenon_metrics_target;

/* One measured value, such as name "memory.usage_bytes", or name
 * "blkio.read_bytes" with label device="8:0"; borrowed during a sink call. */
typedef struct tenon_metric_sample {
  uint32_t struct_size;
  const char* name;
  double value;
  tenon_labels labels;
} tenon_metric_sample;

typedef tenon_status (*tenon_metric_sink)(void* ctx, const tenon_metric_sample* sample);

typedef struct tenon_metrics_service {
  uint32_t struct_size; /* sizeof(tenon_metrics_service) of the plugin */

  /* Calls `sink` once per sample of the target's current resource use;
   * not_found when its cgroup does not exist. */
  tenon_status (*collect)(void* self, const tenon_metrics_target* target, tenon_metric_sink sink,
                          void* ctx, tenon_error* err);
  /* Starts watching the target for OOM kills, each published as "/tasks/oom"
   * through the host; watching stops by itself when the cgroup goes away. */
  tenon_status (*watch_oom)(void* self, const tenon_metrics_target* target, tenon_error* err);
  /* Stops watching (ns, id); reports any OOM kill not yet published first. */
  tenon_status (*unwatch_oom)(void* self, const char* ns, const char* id, tenon_error* err);
} tenon_metrics_service;

#ifdef __cplusplus
}
#endif

#endif /* TENON_METRICS_H */
