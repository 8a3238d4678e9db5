/* A plugin written in C99 against the C ABI alone, compiled once per
 * behaviour (TP_* macros set by meson.build), so that the loader's every
 * failure mode meets a real shared object. */
#include <tenon/tenon.h>

#include <stdlib.h>
#include <string.h>

#ifndef TP_ID
#error "TP_ID must name the plugin id"
#endif

typedef struct test_plugin {
  const tenon_host* host;
  int collects;
} test_plugin;

/* A metrics service that reports how often it was asked. */
static tenon_status tp_collect(void* self, const tenon_metrics_target* target, tenon_metric_sink sink,
                               void* ctx, tenon_error* err) {
  test_plugin* p = (test_plugin*)self;
  tenon_metric_sample sample;
  (void)target;
  (void)err;
  memset(&sample, 0, sizeof sample);
  sample.struct_size = sizeof sample;
  sample.name = "test.collects";
  sample.value = (double)++p->collects;
  return sink(ctx, &sample);
}

static const tenon_metrics_service tp_metrics = {sizeof(tenon_metrics_service), tp_collect, NULL, NULL};

static tenon_status tp_init(const tenon_host* host, void** self, tenon_error* err) {
  test_plugin* p;
#ifdef TP_FAIL_INIT
  (void)self;
  host->log(host->self, TENON_LOG_INFO, "about to fail on purpose");
  return tenon_error_set(err, TENON_FAILED_PRECONDITION, "kaboom: %s always fails", host->plugin_name);
#endif
#ifdef TP_LOOKUP
  {
    /* A service of a required plugin is reachable; one of a plugin not required is not. */
    const void* table = NULL;
    void* service = NULL;
    tenon_error inner;
    tenon_error_init(&inner);
    if (host->lookup_service(host->self, TENON_PLUGIN_METRICS, TP_LOOKUP, &table, &service, &inner) != TENON_OK)
      return tenon_error_set(err, inner.code, "lookup of required service failed: %s", inner.message);
    if (host->lookup_service(host->self, TENON_PLUGIN_METRICS, TP_LOOKUP_DENIED, &table, &service, &inner) !=
        TENON_PERMISSION_DENIED)
      return tenon_error_set(err, TENON_INTERNAL, "lookup outside the requirements was not refused");
  }
#endif
  p = (test_plugin*)calloc(1, sizeof *p);
  if (p == NULL) return tenon_error_set(err, TENON_RESOURCE_EXHAUSTED, "out of memory");
  p->host = host;
  if (host->register_service(host->self, TENON_PLUGIN_METRICS, TP_ID, &tp_metrics, p, err) != TENON_OK) {
    free(p);
    return err->code;
  }
  host->log(host->self, TENON_LOG_INFO, "test plugin " TP_ID " ready");
  *self = p;
  return TENON_OK;
}

static void tp_fini(void* self) {
  test_plugin* p = (test_plugin*)self;
  p->host->log(p->host->self, TENON_LOG_INFO, "test plugin " TP_ID " stopping");
  free(p);
}

#ifdef TP_REQUIRES
static const char* const tp_requirements[] = {TP_REQUIRES, NULL};
#else
static const char* const tp_requirements[] = {NULL};
#endif

#ifndef TP_ABI_VERSION
#define TP_ABI_VERSION TENON_ABI_VERSION
#endif
#ifndef TP_DESCRIPTOR_SIZE
#define TP_DESCRIPTOR_SIZE sizeof(tenon_plugin_descriptor)
#endif

static const tenon_plugin_descriptor tp_descriptor = {
    TP_ABI_VERSION, (uint32_t)(TP_DESCRIPTOR_SIZE), TENON_PLUGIN_METRICS, TP_ID, tp_requirements,
    tp_init,        tp_fini,                        "1.0-test"};

#ifdef TP_UNDEFINED_SYMBOL
/* Defined nowhere: loading with RTLD_NOW must fail and name it. */
extern int tenon_test_symbol_that_does_not_exist(void);
int tp_use_missing(void) { return tenon_test_symbol_that_does_not_exist(); }
#endif

#ifdef TP_NO_ENTRY
TENON_PLUGIN_EXPORT const tenon_plugin_descriptor* not_the_entry_symbol(void) { return &tp_descriptor; }
#else
TENON_PLUGIN_EXPORT const tenon_plugin_descriptor* tenon_plugin_entry(void) { return &tp_descriptor; }
#endif
