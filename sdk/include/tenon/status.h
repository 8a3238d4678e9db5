/* tenon C ABI: status codes and the error record every call fills on failure.
 *
 * Errors cross the plugin boundary as one code from a small vocabulary plus a
 * message. The caller owns the tenon_error (usually on its stack), so no memory
 * changes hands: the callee only writes into it. The core maps each code 1:1
 * onto an RPC error, and `ctr` shows the message. */
#ifndef TENON_STATUS_H
#define TENON_STATUS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A status code. Codes are never renumbered; new ones are only appended.
 * A caller that meets a code it does not know treats it as TENON_INTERNAL. */
typedef int32_t tenon_status;

#define TENON_OK                  0  /* success */
#define TENON_NOT_FOUND           1  /* the named thing does not exist */
#define TENON_ALREADY_EXISTS      2  /* a thing with that name exists already */
#define TENON_INVALID_ARGUMENT    3  /* the request is malformed, whatever the state */
#define TENON_FAILED_PRECONDITION 4  /* the request is valid, the state does not allow it */
#define TENON_UNAVAILABLE         5  /* busy or temporarily unreachable; retrying may work */
#define TENON_NOT_IMPLEMENTED     6  /* this implementation does not offer the operation */
#define TENON_INTERNAL            7  /* a fault: a bug or an unexpected system error */
#define TENON_PERMISSION_DENIED   8  /* the caller may not do this */
#define TENON_CANCELLED           9  /* the caller gave up */
#define TENON_DEADLINE_EXCEEDED  10  /* a deadline passed before the work finished */
#define TENON_RESOURCE_EXHAUSTED 11  /* a quota or a size limit was hit */
#define TENON_STATUS_COUNT       12  /* one past the last known code */

/* Longest message, including its terminating NUL; longer ones are truncated. */
#define TENON_ERROR_MESSAGE_MAX 1024

/* An error record. The caller allocates it, sets struct_size to
 * sizeof(tenon_error) and passes a pointer; a callee that fails writes `code`
 * and a NUL-terminated `message` and returns the same code. A callee that
 * succeeds leaves it untouched. Fields are only ever appended. */
typedef struct tenon_error {
  uint32_t struct_size;
  tenon_status code;
  char message[TENON_ERROR_MESSAGE_MAX];
} tenon_error;

/* Prepares an error record for a call; cheap enough to use before every call. */
static inline void tenon_error_init(tenon_error* err) {
  err->struct_size = (uint32_t)sizeof(tenon_error);
  err->code = TENON_OK;
  err->message[0] = '\0';
}

/* Fills `err` (if not NULL) with `code` and a printf-formatted message and
 * returns `code`, so that a failing function can end with
 * `return tenon_error_set(err, TENON_NOT_FOUND, "snapshot %s", key);`. */
static inline tenon_status tenon_error_set(tenon_error* err, tenon_status code, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static inline tenon_status tenon_error_set(tenon_error* err, tenon_status code, const char* fmt, ...) {
  if (err != NULL && err->struct_size > offsetof(tenon_error, message)) {
    size_t cap = err->struct_size - offsetof(tenon_error, message);
    va_list ap;
    if (cap > TENON_ERROR_MESSAGE_MAX) cap = TENON_ERROR_MESSAGE_MAX;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, cap, fmt, ap);
    va_end(ap);
  }
  return code;
}

/* The stable lower-case name of a code ("not_found"...); "unknown" for codes
 * this header does not know. The string is static. */
static inline const char* tenon_status_name(tenon_status code) {
  static const char* const names[TENON_STATUS_COUNT] = {
      "ok",          "not_found", "already_exists",    "invalid_argument",
      "failed_precondition", "unavailable", "not_implemented", "internal",
      "permission_denied", "cancelled", "deadline_exceeded", "resource_exhausted"};
  return (code >= 0 && code < TENON_STATUS_COUNT) ? names[code] : "unknown";
}

#ifdef __cplusplus
}
#endif

#endif /* TENON_STATUS_H */
