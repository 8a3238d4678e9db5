/* tenon C ABI: small value types shared by every service table.
 *
 * Ownership rule for the whole ABI: memory is freed by the side that allocated
 * it. Pointers passed INTO a call are borrowed for the duration of that call
 * only. Values handed OUT arrive in one of two ways, named at each function:
 *  - through a callback (a "sink"): the pointers are valid only while the
 *    callback runs, so the receiver copies what it keeps;
 *  - in a caller-provided struct that carries its own `release` function: the
 *    receiver calls `release` exactly once when done, and never frees the
 *    contents itself (the pattern of Arrow's C data interface). */
#ifndef TENON_TYPES_H
#define TENON_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One key/value label; both NUL-terminated UTF-8. */
typedef struct tenon_label {
  const char* key;
  const char* value;
} tenon_label;

/* A borrowed array of labels. */
typedef struct tenon_labels {
  const tenon_label* items;
  size_t len;
} tenon_labels;

/* A borrowed array of NUL-terminated strings. */
typedef struct tenon_strings {
  const char* const* items;
  size_t len;
} tenon_strings;

/* Nanoseconds since the Unix epoch, UTC. */
typedef int64_t tenon_time;

/* A read-only view of bytes: data + length, not NUL-terminated. */
typedef struct tenon_bytes {
  const uint8_t* data;
  size_t len;
} tenon_bytes;

#ifdef __cplusplus
}
#endif

#endif /* TENON_TYPES_H */
