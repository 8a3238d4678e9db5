/* tenon C ABI: what a plugin is and how the core talks to it.
 *
 * A plugin is a shared object exporting ONE C symbol, `tenon_plugin_entry`,
 * which returns a static descriptor: ABI version, its own size, the plugin's
 * type and id, what it requires, and `init`/`fini`. The core calls `init` once,
 * after the plugins it requires, handing it a host table; `init` registers the
 * plugin's services (typed vtables with a `self` pointer) through that table.
 * The core calls `fini` once, in reverse order of `init`.
 *
 * Versioning: TENON_ABI_VERSION changes only on a breaking change, which we
 * avoid. Structs grow only at their end and carry their size first, so an old
 * plugin keeps working with a new core and the reverse: each side reads a field
 * only when the other side's struct_size says it is there (TENON_HAS_FIELD).
 *
 * Service tables: a NULL function in a table means the operation is not
 * offered; the core answers not_implemented for it without calling.
 *
 * Threads: the core may call any service function from any thread, several at
 * once, and never from its event loop, so functions may block. Host functions
 * may likewise be called from any thread. */
#ifndef TENON_PLUGIN_H
#define TENON_PLUGIN_H

#include "status.h"
#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. A core loads only plugins built for an ABI
 * version it supports, and rejects the others with a clear message. */
#define TENON_ABI_VERSION 1u

/* The name of the one symbol a plugin exports. */
#define TENON_PLUGIN_ENTRY_SYMBOL "tenon_plugin_entry"

#if defined(__GNUC__)
#define TENON_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define TENON_PLUGIN_EXPORT
#endif

/* True when a struct of `struct_size` bytes (as its producer compiled it)
 * contains `field` of `type`: use before reading any field added after v1. */
#define TENON_HAS_FIELD(type, struct_size, field) \
  ((struct_size) >= offsetof(type, field) + sizeof(((type*)0)->field))

/* Plugin and service types; also the first part of a plugin's full name
 * "<type>.<id>" ("snapshotter.overlayfs"). Numbers are never reused. */
typedef uint32_t tenon_plugin_type;
#define TENON_PLUGIN_RUNTIME     1u /* runs containers: tenon_runtime_service */
#define TENON_PLUGIN_SNAPSHOTTER 2u /* copy-on-write filesystems: tenon_snapshotter_service */
#define TENON_PLUGIN_CONTENT     3u /* content-addressed blobs: tenon_content_service */
#define TENON_PLUGIN_METRICS     4u /* cgroup stats and OOM events: tenon_metrics_service */

/* Log levels, most severe first. */
typedef int32_t tenon_log_level;
#define TENON_LOG_ERROR 0
#define TENON_LOG_WARN  1
#define TENON_LOG_INFO  2
#define TENON_LOG_DEBUG 3
#define TENON_LOG_TRACE 4

/* What the core hands to a plugin's `init`. The table and every string in it
 * stay valid until the plugin's `fini` returns. Pass `self` back as the first
 * argument of each function. */
typedef struct tenon_host {
  uint32_t struct_size;  /* sizeof(tenon_host) of the core */
  uint32_t abi_version;  /* TENON_ABI_VERSION of the core */
  void* self;

  /* The plugin's full name, "<type>.<id>". */
  const char* plugin_name;
  /* The plugin's own config table (`[plugins."<type>.<id>"]` minus the keys the
   * core consumes, `enabled` and `path`) as TOML text; "" when there is none. */
  const char* config_toml;
  /* A directory for the plugin's persistent data (under the daemon's root) and
   * one for its runtime state (under the daemon's state), both created 0700. */
  const char* root;
  const char* state;

  /* Writes one log line at `level`, attributed to the plugin; never blocks long. */
  void (*log)(void* self, tenon_log_level level, const char* message);

  /* Registers a service of `type` under `name` (unique per type): `table` is a
   * service vtable of that type (starting with its struct_size) and
   * `service_self` its first argument. Both must stay valid until `fini`.
   * Only callable during `init`. Fails with already_exists or invalid_argument. */
  tenon_status (*register_service)(void* self, tenon_plugin_type type, const char* name,
                                   const void* table, void* service_self, tenon_error* err);

  /* Finds a service registered by a plugin this plugin requires, so that it
   * may call it; writes its vtable and self. Fails with not_found when no such
   * service is registered, permission_denied when its plugin is not among the
   * caller's requirements. Results stay valid until the caller's `fini`. */
  tenon_status (*lookup_service)(void* self, tenon_plugin_type type, const char* name,
                                 const void** table, void** service_self, tenon_error* err);

  /* Publishes an event on the core's event bus: `topic` such as "/tasks/exit",
   * `ns` the namespace it belongs to, `payload_json` a JSON object (copied
   * before return). Never blocks on subscribers. */
  tenon_status (*publish_event)(void* self, const char* ns, const char* topic,
                                const char* payload_json, tenon_error* err);
} tenon_host;

/* The static description a plugin returns from its entry symbol. It and all it
 * points to must live as long as the shared object stays loaded. */
typedef struct tenon_plugin_descriptor {
  uint32_t abi_version; /* TENON_ABI_VERSION the plugin was built for */
  uint32_t struct_size; /* sizeof(tenon_plugin_descriptor) the plugin was built with */
  tenon_plugin_type type;
  /* The plugin's id, unique within its type: [a-z0-9][a-z0-9_.-]*. */
  const char* id;
  /* NULL-terminated list of what must be initialised first: "<type>.<id>" for
   * one plugin, "<type>.*" for every plugin of a type (at least one must load).
   * NULL when the plugin requires nothing. */
  const char* const* requirements;
  /* Starts the plugin: reads its config, registers its services, and stores
   * its own state in *plugin_self. On failure returns a code and fills `err`;
   * the core then marks the plugin failed and never calls `fini`. May block. */
  tenon_status (*init)(const tenon_host* host, void** plugin_self, tenon_error* err);
  /* Stops the plugin and frees *plugin_self; services registered in `init`
   * are no longer called, and every object they handed out (writers...) has
   * been released before. May be NULL. */
  void (*fini)(void* plugin_self);
  /* The plugin's own version, free text, for introspection; may be NULL. */
  const char* version;
} tenon_plugin_descriptor;

/* The smallest descriptor the core accepts (an ABI 1 plugin). */
#define TENON_PLUGIN_DESCRIPTOR_MIN_SIZE \
  (offsetof(tenon_plugin_descriptor, version) + sizeof(const char*))

/* The entry symbol every plugin defines, returning its static descriptor. */
TENON_PLUGIN_EXPORT const tenon_plugin_descriptor* tenon_plugin_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* TENON_PLUGIN_H */
