/* tenon C ABI: the content service (TENON_PLUGIN_CONTENT).
 *
 * A content store keeps immutable blobs addressed by digest
 * ("sha256:<64 hex>"). Blobs arrive through INGESTS named by a caller-chosen
 * ref: write at offsets, then commit with the expected size and digest, which
 * the store verifies before the blob becomes visible. An ingest survives a
 * restart and can be resumed from its offset. Labels and namespaces are kept
 * by the core's metadata, not here. */
#ifndef TENON_CONTENT_H
#define TENON_CONTENT_H

#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One stored blob; borrowed for the duration of a sink call. */
typedef struct tenon_content_info {
  uint32_t struct_size;
  const char* digest;
  int64_t size;
  tenon_time created;
  tenon_time updated;
} tenon_content_info;

/* The progress of one ingest; borrowed for the duration of a sink call. */
typedef struct tenon_ingest_status {
  uint32_t struct_size;
  const char* ref;
  int64_t offset;   /* bytes written so far, contiguous from 0 */
  int64_t total;    /* expected size, or -1 when unknown */
  const char* expected_digest; /* "" when unknown */
  tenon_time started;
  tenon_time updated;
} tenon_ingest_status;

/* Receivers for walks; return TENON_OK to go on, anything else to stop the
 * walk, whose function then returns that code. */
typedef tenon_status (*tenon_content_sink)(void* ctx, const tenon_content_info* info);
typedef tenon_status (*tenon_ingest_sink)(void* ctx, const tenon_ingest_status* status);

/* An open ingest, owned by the plugin; closed with `writer_close`. */
typedef struct tenon_content_writer tenon_content_writer;

typedef struct tenon_content_service {
  uint32_t struct_size; /* sizeof(tenon_content_service) of the plugin */

  /* Calls `sink` once with the info of blob `digest`; not_found if absent. */
  tenon_status (*info)(void* self, const char* digest, tenon_content_sink sink, void* ctx,
                       tenon_error* err);
  /* Reads up to `len` bytes of blob `digest` at `offset` into `buf` and stores
   * the count in *n (0 at the end). May block on disk. */
  tenon_status (*read_at)(void* self, const char* digest, int64_t offset, void* buf, size_t len,
                          size_t* n, tenon_error* err);
  /* Calls `sink` for each committed blob. */
  tenon_status (*walk)(void* self, tenon_content_sink sink, void* ctx, tenon_error* err);
  /* Deletes blob `digest`; not_found if absent. */
  tenon_status (*remove)(void* self, const char* digest, tenon_error* err);

  /* Opens (or resumes) the ingest `ref`; `total` (or -1) and `expected_digest`
   * (or "") are hints checked again at commit; hints that contradict those of
   * the ingest being resumed are failed_precondition. unavailable when another
   * writer holds `ref`. Writes the writer to *writer. Only sha256 digests are
   * required of a content store. */
  tenon_status (*writer_open)(void* self, const char* ref, int64_t total,
                              const char* expected_digest, tenon_content_writer** writer,
                              tenon_error* err);
  /* Writes `data` at `offset`: at the current offset it appends; before it,
   * the ingest is first cut back to `offset`; past it is invalid_argument. */
  tenon_status (*writer_write)(void* self, tenon_content_writer* writer, int64_t offset,
                               tenon_bytes data, tenon_error* err);
  /* Calls `sink` with the writer's status. */
  tenon_status (*writer_status)(void* self, tenon_content_writer* writer, tenon_ingest_sink sink,
                                void* ctx, tenon_error* err);
  /* Verifies size and digest and publishes the blob. A mismatch is
   * failed_precondition and discards the ingest; a size or digest that
   * contradicts the hints given at open is invalid_argument and changes
   * nothing; already_exists (the blob was there) also discards the ingest and
   * is success for a caller that only wants the blob present. Either way the
   * writer then refuses writes, and must still be closed. */
  tenon_status (*writer_commit)(void* self, tenon_content_writer* writer, int64_t size,
                                const char* digest, tenon_error* err);
  /* Releases the writer; an uncommitted ingest stays resumable. */
  void (*writer_close)(void* self, tenon_content_writer* writer);
  /* Discards the ingest `ref` and its bytes. */
  tenon_status (*abort)(void* self, const char* ref, tenon_error* err);
  /* Calls `sink` for each ingest in progress. */
  tenon_status (*list_ingests)(void* self, tenon_ingest_sink sink, void* ctx, tenon_error* err);
} tenon_content_service;

#ifdef __cplusplus
}
#endif

#endif /* TENON_CONTENT_H */
