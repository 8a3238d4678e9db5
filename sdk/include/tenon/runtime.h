/* tenon C ABI: the runtime service (TENON_PLUGIN_RUNTIME).
 *
 * A runtime runs containers from an OCI runtime spec and a root filesystem
 * given as a Mount list, which it mounts without asking who produced it. A
 * task is the running instance of a container; an exec is an extra process in
 * a task, named by an exec id ("" names the task's init process). Tasks must
 * outlive a daemon restart: after one, `list` reports what is still there.
 * Lifecycle events ("/tasks/exit"...) go out through the host's publish_event;
 * a process's `state` reports it STOPPED before its "/tasks/exit" is published,
 * since the core answers waits by reading the state when the event comes. */
#ifndef TENON_RUNTIME_H
#define TENON_RUNTIME_H

#include "mount.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t tenon_task_status;
#define TENON_TASK_UNKNOWN 0
#define TENON_TASK_CREATED 1
#define TENON_TASK_RUNNING 2
#define TENON_TASK_STOPPED 3
#define TENON_TASK_PAUSED  4
#define TENON_TASK_PAUSING 5

/* Where a process's stdio goes: paths of FIFOs (or "" for none) that the
 * runtime opens and hands on; or, with `terminal`, one pseudo-terminal whose
 * output is written to stdout_path. */
typedef struct tenon_task_io {
  uint32_t struct_size;
  const char* stdin_path;
  const char* stdout_path;
  const char* stderr_path;
  int32_t terminal; /* non-zero for a TTY */
} tenon_task_io;

/* Everything needed to create a task; borrowed for the duration of `create`. */
typedef struct tenon_task_create {
  uint32_t struct_size;
  const char* ns;            /* namespace of the container */
  const char* id;            /* container id, unique within ns */
  const char* spec_json;     /* the OCI runtime spec (config.json) */
  const tenon_mount* rootfs; /* mounted, in order, as the container's root */
  size_t rootfs_len;
  tenon_task_io io;
  const char* options_json;  /* runtime-specific options, "" for none */
} tenon_task_create;

/* The state of a task or exec; borrowed for the duration of a sink call. */
typedef struct tenon_task_state {
  uint32_t struct_size;
  const char* ns;
  const char* id;
  const char* exec_id;       /* "" for the init process */
  tenon_task_status status;
  uint32_t pid;              /* 0 when not started */
  uint32_t exit_status;      /* valid when status is STOPPED */
  tenon_time exited_at;      /* 0 when still running */
  const char* cgroup_path;   /* for metrics; "" when unknown */
} tenon_task_state;

typedef tenon_status (*tenon_task_sink)(void* ctx, const tenon_task_state* state);

/* One process of a task, for `pids`; `info_json` is runtime-specific or "". */
typedef tenon_status (*tenon_pid_sink)(void* ctx, uint32_t pid, const char* info_json);

typedef struct tenon_runtime_service {
  uint32_t struct_size; /* sizeof(tenon_runtime_service) of the plugin */

  /* Creates the task (bundle, mounts, runtime `create`) without starting its
   * process, then calls `sink` with its state. May block for seconds. */
  tenon_status (*create)(void* self, const tenon_task_create* request, tenon_task_sink sink,
                         void* ctx, tenon_error* err);
  /* Starts the task's init process or a created exec; `sink` gets the state (pid). */
  tenon_status (*start)(void* self, const char* ns, const char* id, const char* exec_id,
                        tenon_task_sink sink, void* ctx, tenon_error* err);
  /* Sends `signal` to the process, or with `all` to every process of the task. */
  tenon_status (*kill)(void* self, const char* ns, const char* id, const char* exec_id,
                       uint32_t signal, int32_t all, tenon_error* err);
  /* Freezes every process of the task. */
  tenon_status (*pause)(void* self, const char* ns, const char* id, tenon_error* err);
  /* Thaws a paused task. */
  tenon_status (*resume)(void* self, const char* ns, const char* id, tenon_error* err);
  /* Adds the exec `exec_id` running `process_json` (an OCI spec `process`) with
   * `io`; it is started by `start`. */
  tenon_status (*exec)(void* self, const char* ns, const char* id, const char* exec_id,
                       const char* process_json, const tenon_task_io* io, tenon_error* err);
  /* Sets the window size of the process's TTY. */
  tenon_status (*resize_pty)(void* self, const char* ns, const char* id, const char* exec_id,
                             uint32_t width, uint32_t height, tenon_error* err);
  /* Closes the write end of the process's stdin, so that it reads EOF. */
  tenon_status (*close_stdin)(void* self, const char* ns, const char* id, const char* exec_id,
                              tenon_error* err);
  /* Blocks until the process exits, then calls `sink` with its final state. */
  tenon_status (*wait)(void* self, const char* ns, const char* id, const char* exec_id,
                       tenon_task_sink sink, void* ctx, tenon_error* err);
  /* Calls `sink` with the current state of the process. */
  tenon_status (*state)(void* self, const char* ns, const char* id, const char* exec_id,
                        tenon_task_sink sink, void* ctx, tenon_error* err);
  /* Calls `sink` for each process in the task. */
  tenon_status (*pids)(void* self, const char* ns, const char* id, tenon_pid_sink sink, void* ctx,
                       tenon_error* err);
  /* Deletes a stopped task or exec (unmounts, removes its bundle) and calls
   * `sink` with its final state, exit status included. */
  tenon_status (*remove)(void* self, const char* ns, const char* id, const char* exec_id,
                         tenon_task_sink sink, void* ctx, tenon_error* err);
  /* Calls `sink` for every task this runtime holds, e.g. after a restart. */
  tenon_status (*list)(void* self, tenon_task_sink sink, void* ctx, tenon_error* err);
} tenon_runtime_service;

#ifdef __cplusplus
}
#endif

#endif /* TENON_RUNTIME_H */
