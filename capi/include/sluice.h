/*
 * sluice.h: the stable C ABI of sluice, an embeddable Kafka event source
 * mapping (the job AWS Lambda's Kafka ESM does, as a library).
 *
 * The pipeline: fetch (a consumer group) -> filter -> batch -> encode (the
 * Lambda MSK event JSON) -> ordered per-partition dispatch to the host ->
 * commit after the host acknowledges (at-least-once).
 *
 * Conventions, true for every function below:
 * - Handles are opaque. Each *_new has a *_destroy; every destroy accepts NULL.
 * - A fallible call returns sluice_error_t*: NULL means success; otherwise the
 *   caller owns the error and frees it with sluice_error_destroy(). On failure,
 *   output parameters are left untouched.
 * - Outputs are the last parameters. Strings are NUL-terminated UTF-8 unless a
 *   length is given next to them.
 * - No function aborts, asserts or lets a C++ exception escape on misuse: a
 *   NULL handle or a call in the wrong state returns SLUICE_ERR_INVALID_ARGUMENT
 *   or SLUICE_ERR_INVALID_STATE.
 * - Thread-safety is stated per function. "Any thread" means the call may run
 *   concurrently with any other call on the same handle.
 * - No global initialisation call is needed.
 *
 * Compiles as C11 and as C++ with -Wall -Wextra -pedantic -Werror.
 */
#ifndef SLUICE_H
#define SLUICE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SLUICE_STATIC)
#define SLUICE_API
#elif defined(_WIN32)
#ifdef SLUICE_BUILDING
#define SLUICE_API __declspec(dllexport)
#else
#define SLUICE_API __declspec(dllimport)
#endif
#else
#define SLUICE_API __attribute__((visibility("default")))
#endif

/** Opaque handles. */
typedef struct sluice_conf sluice_conf_t;
typedef struct sluice_engine sluice_engine_t;
typedef struct sluice_batch sluice_batch_t;
typedef struct sluice_error sluice_error_t;

/* ------------------------------------------------------------------------ */
/* Version                                                                   */
/* ------------------------------------------------------------------------ */

#define SLUICE_VERSION_MAJOR 1
#define SLUICE_VERSION_MINOR 0
#define SLUICE_VERSION_PATCH 0
/** MAJOR*10000 + MINOR*100 + PATCH, as in zstd. */
#define SLUICE_VERSION_NUMBER \
  (SLUICE_VERSION_MAJOR * 10000 + SLUICE_VERSION_MINOR * 100 + SLUICE_VERSION_PATCH)

/** The library's version number (SLUICE_VERSION_NUMBER of the build). Any thread. */
SLUICE_API uint32_t sluice_version_number(void);
/** The library's version as "MAJOR.MINOR.PATCH"; static storage. Any thread. */
SLUICE_API const char *sluice_version_string(void);

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

/** Error codes: stable numbers, never reused. An integer typedef, not an enum. */
typedef int32_t sluice_code_t;
#define SLUICE_ERR_INVALID_ARGUMENT ((sluice_code_t)1)  /* NULL handle, bad length, ... */
#define SLUICE_ERR_UNKNOWN_KEY ((sluice_code_t)2)       /* config key not known */
#define SLUICE_ERR_INVALID_VALUE ((sluice_code_t)3)     /* config value out of range */
#define SLUICE_ERR_INVALID_PATTERN ((sluice_code_t)4)   /* filter pattern rejected */
#define SLUICE_ERR_INVALID_STATE ((sluice_code_t)5)     /* call not allowed now */
#define SLUICE_ERR_ALREADY_COMPLETED ((sluice_code_t)6) /* batch acked/failed twice */
#define SLUICE_ERR_STOPPED ((sluice_code_t)7)           /* engine stopped or stopping */
#define SLUICE_ERR_REVOKED ((sluice_code_t)8)           /* partition no longer ours */
#define SLUICE_ERR_TIMEOUT ((sluice_code_t)9)           /* bounded wait ran out */
#define SLUICE_ERR_KAFKA ((sluice_code_t)10)            /* error from librdkafka/broker */
#define SLUICE_ERR_NO_MEMORY ((sluice_code_t)11)
#define SLUICE_ERR_INTERNAL ((sluice_code_t)12)         /* a bug: please report */
#define SLUICE_ERR_IO ((sluice_code_t)13)               /* an OS call failed */

/** Frees an error. NULL is a no-op. Any thread. */
SLUICE_API void sluice_error_destroy(sluice_error_t *error);
/** The error's code. Returns SLUICE_ERR_INVALID_ARGUMENT for NULL. Any thread. */
SLUICE_API sluice_code_t sluice_error_code(const sluice_error_t *error);
/** The code's symbolic name, e.g. "SLUICE_ERR_UNKNOWN_KEY"; static storage;
 *  "SLUICE_ERR_UNKNOWN" for numbers not listed above. Any thread. */
SLUICE_API const char *sluice_code_name(sluice_code_t code);
/* The accessors below read an error that no one modifies: any thread. */

/** A human-readable message; owned by the error. "" for NULL. */
SLUICE_API const char *sluice_error_message(const sluice_error_t *error);
/** 1 if retrying the same call later may succeed, else 0. */
SLUICE_API int32_t sluice_error_retriable(const sluice_error_t *error);
/** The configuration key the error is about, or "" when none; owned by the error. */
SLUICE_API const char *sluice_error_key(const sluice_error_t *error);
/** For pattern and value errors: the byte offset in the value where the problem
 *  is, or -1 when not applicable. */
SLUICE_API int64_t sluice_error_offset(const sluice_error_t *error);
/** For pattern errors: a JSON path into the pattern ("$[0].value.price"), or "". */
SLUICE_API const char *sluice_error_path(const sluice_error_t *error);

/** Frees memory that sluice returned to the caller (e.g. stats JSON). NULL is
 *  a no-op. Any thread. */
SLUICE_API void sluice_free(void *ptr);

/* ------------------------------------------------------------------------ */
/* Configuration                                                             */
/* ------------------------------------------------------------------------ */

/** A set of string key/value settings. Keys and ranges: docs/CONFIGURATION.md.
 *  Keys starting with "kafka." pass to librdkafka without the prefix (e.g.
 *  "kafka.security.protocol"); they are validated by librdkafka when set. */
/** Creates an empty configuration (every key at its default). The caller owns
 *  *out and frees it with sluice_conf_destroy(). */
SLUICE_API sluice_error_t *sluice_conf_new(sluice_conf_t **out);
/** Frees a configuration. NULL is a no-op. Engines created from it are not affected. */
SLUICE_API void sluice_conf_destroy(sluice_conf_t *conf);
/** Sets key to value, validating both now. Unknown key: SLUICE_ERR_UNKNOWN_KEY;
 *  bad value: SLUICE_ERR_INVALID_VALUE (or SLUICE_ERR_INVALID_PATTERN for
 *  "filter.patterns"), with sluice_error_key() naming the key and the message
 *  naming the allowed values. On error the previous value is kept. Both strings
 *  are copied. Not thread-safe for the same conf. */
SLUICE_API sluice_error_t *sluice_conf_set(sluice_conf_t *conf, const char *key,
                                           const char *value);
/** Copies the current value of key (default included) as a NUL-terminated
 *  string into *out; the caller frees it with sluice_free(). Safe concurrently
 *  with other sluice_conf_get calls, not with sluice_conf_set on the same conf. */
SLUICE_API sluice_error_t *sluice_conf_get(const sluice_conf_t *conf, const char *key,
                                           char **out);

/** A batch handler for push mode. Called on an engine-owned worker thread, at
 *  most one call per partition at a time, at most "max.concurrency" calls at
 *  once. Return 0 for success (the batch's offsets are committed) and anything
 *  else for failure (the same batch is offered again after a backoff). The
 *  batch is borrowed: do not destroy, ack or fail it; it is valid until the
 *  handler returns. */
typedef int32_t (*sluice_handler_fn)(void *opaque, const sluice_batch_t *batch);

/** Switches the conf to push mode: engines created from it call fn on
 *  "max.concurrency" worker threads; sluice_engine_poll() then returns
 *  SLUICE_ERR_INVALID_STATE. fn == NULL switches back to pull mode. opaque is
 *  passed through untouched and must outlive the engine. */
SLUICE_API sluice_error_t *sluice_conf_set_handler(sluice_conf_t *conf, sluice_handler_fn fn,
                                                   void *opaque);

/* ------------------------------------------------------------------------ */
/* Engine                                                                    */
/* ------------------------------------------------------------------------ */

/** Creates an engine from conf (copied; conf may be destroyed afterwards) and
 *  starts it: it joins the consumer group, subscribes to "topic" and begins
 *  fetching. Fails with SLUICE_ERR_INVALID_VALUE naming the key when a
 *  required key ("bootstrap.servers", "topic", "group.id") is missing. The
 *  caller owns *out. */
SLUICE_API sluice_error_t *sluice_engine_new(const sluice_conf_t *conf, sluice_engine_t **out);

/** Stops the engine: no new batches are handed out; batches already handed out
 *  may still be acked or failed until timeout_ms passes (negative: no limit);
 *  then every
 *  acknowledged offset is committed (synchronously), the consumer leaves the
 *  group and the worker threads are joined. Batches not yet acknowledged are
 *  not committed and will be delivered again (to this group) later. Returns
 *  SLUICE_ERR_TIMEOUT if batches were still outstanding at the deadline (the
 *  engine is stopped all the same). Any thread; concurrent calls are fine: one
 *  stops, the others wait for it and return NULL, as does any later call.
 *  From a handler of the same engine: SLUICE_ERR_INVALID_STATE. */
SLUICE_API sluice_error_t *sluice_engine_stop(sluice_engine_t *engine, int32_t timeout_ms);

/** Stops the engine if needed (as sluice_engine_stop with 10 s) and frees it.
 *  NULL is a no-op. Batches still alive stay valid until destroyed; acking them
 *  returns SLUICE_ERR_STOPPED. Not thread-safe with other calls on engine, and
 *  never to be called from a handler of the same engine (stop it from another
 *  thread first). */
SLUICE_API void sluice_engine_destroy(sluice_engine_t *engine);

/** Pull mode: waits up to timeout_ms (0 = don't wait, -1 = forever) for the
 *  next batch. On success *out is a batch the caller owns (sluice_batch_destroy)
 *  or NULL when none arrived in time. After a batch of a partition is handed
 *  out, the next batch of that partition is held back until this one is acked
 *  or failed. Returns SLUICE_ERR_STOPPED once the engine is stopped, and
 *  SLUICE_ERR_INVALID_STATE in push mode. Any thread; the GIL-free kind of
 *  blocking call: it holds no lock while waiting. */
SLUICE_API sluice_error_t *sluice_engine_poll(sluice_engine_t *engine, int32_t timeout_ms,
                                              sluice_batch_t **out);

/** A file descriptor that becomes readable when a batch may be ready, for event
 *  loops (select/poll/epoll/asyncio). Any thread. After it turns readable, call
 *  sluice_engine_poll(engine, 0, ...) until it returns no batch; that also
 *  clears it. It stays readable while batches wait (level-triggered), so watch
 *  it only while waiting for a batch, not while holding one. It also turns
 *  readable when the engine stops (poll then returns SLUICE_ERR_STOPPED).
 *  The engine signals it only from the first call of this function on (it
 *  costs syscalls per batch, which engines that never ask do not pay); if
 *  batches are already waiting then, it is readable at once.
 *  Owned by the engine: do not close or read it. Linux only
 *  (eventfd); elsewhere SLUICE_ERR_INVALID_STATE. */
SLUICE_API sluice_error_t *sluice_engine_wakeup_fd(sluice_engine_t *engine, int32_t *out);

/** The engine's counters as one JSON object (names as Lambda's metrics:
 *  PolledEventCount, FilteredOutEventCount, InvokedEventCount,
 *  FailedInvokeEventCount, CommittedEventCount, CommitErrorCount,
 *  PollingErrorCount, OffsetLag {"topic-partition": n}, MaxOffsetLag,
 *  SumOffsetLag; and sluice's own: Batches, AckedBatches, OversizedBatches,
 *  InFlightBatches, BufferedRecords, BufferedBytes, AssignedPartitions,
 *  PausedPartitions, Rebalances, and LastError, a string, "" when none). New
 *  keys may be added; none is removed within ABI major 1.
 *  *out is NUL-terminated, *len excludes the NUL; the caller frees *out with
 *  sluice_free(). Any thread. */
SLUICE_API sluice_error_t *sluice_engine_stats(const sluice_engine_t *engine, char **out,
                                               uint64_t *len);

/* ------------------------------------------------------------------------ */
/* Batches                                                                   */
/* ------------------------------------------------------------------------ */

/** Timestamp types, as in Kafka. */
#define SLUICE_TIMESTAMP_NONE ((int32_t)0)
#define SLUICE_TIMESTAMP_CREATE_TIME ((int32_t)1)
#define SLUICE_TIMESTAMP_LOG_APPEND_TIME ((int32_t)2)

/** Batch flags (sluice_batch_flags). */
#define SLUICE_BATCH_OVERSIZED ((uint32_t)1) /* one record whose event passes batch.max.bytes */
#define SLUICE_BATCH_RETRY ((uint32_t)2)     /* offered before and failed */

/** A zero-copy view of one record. Pointers point into the batch and stay valid
 *  until the batch is destroyed. This struct's layout is frozen for ABI major 1;
 *  new fields arrive through new accessors. */
typedef struct sluice_record {
  int64_t offset;
  int64_t timestamp;      /* epoch milliseconds; -1 when the broker gave none */
  const uint8_t *key;     /* NULL when the key is null (not the same as empty) */
  const uint8_t *value;   /* NULL when the value is null (a tombstone) */
  uint32_t key_len;       /* 0 when key is NULL */
  uint32_t value_len;     /* 0 when value is NULL */
  int32_t partition;
  int32_t timestamp_type; /* SLUICE_TIMESTAMP_* */
  uint32_t header_first;  /* index of the first header in sluice_batch_headers() */
  uint32_t header_count;  /* its headers are [header_first, header_first + header_count) */
} sluice_record_t;

/** A zero-copy view of one record header; order and duplicates as produced. */
typedef struct sluice_header {
  const char *name;      /* not NUL-terminated */
  const uint8_t *value;  /* NULL when the header value is null */
  uint32_t name_len;
  uint32_t value_len;
} sluice_header_t;

/** Frees a batch. In pull mode a batch neither acked nor failed counts as
 *  failed (it will be offered again). NULL is a no-op. Any thread, once. */
SLUICE_API void sluice_batch_destroy(sluice_batch_t *batch);

/** Marks the batch as processed: its offsets (and those of records filtered out
 *  before it) get committed. The batch stays readable until destroyed. Returns
 *  SLUICE_ERR_ALREADY_COMPLETED if acked or failed before,
 *  SLUICE_ERR_REVOKED if its partition was taken away meanwhile (it will be
 *  delivered to the new owner), SLUICE_ERR_STOPPED after the engine stopped.
 *  Not for batches borrowed by a handler. Any thread. */
SLUICE_API sluice_error_t *sluice_batch_ack(sluice_batch_t *batch);

/** Marks the batch as failed: the same records are offered again, in the same
 *  order, after a backoff ("retry.backoff.ms"). Errors as sluice_batch_ack. */
SLUICE_API sluice_error_t *sluice_batch_fail(sluice_batch_t *batch);

/** The batch's event, the exact Lambda MSK event JSON (docs/EVENT.md). *data
 *  points into the batch (not NUL-terminated) and stays valid until it is
 *  destroyed. Encoded once, on the first call. Any thread. */
SLUICE_API sluice_error_t *sluice_batch_event(const sluice_batch_t *batch, const uint8_t **data,
                                              uint64_t *len);

/** The records, in offset order: *records points to *count views owned by the
 *  batch (*records may be NULL when *count is 0). Any thread. */
SLUICE_API sluice_error_t *sluice_batch_records(const sluice_batch_t *batch,
                                                const sluice_record_t **records,
                                                uint64_t *count);

/** All headers of all records, indexed by sluice_record_t.header_first; owned
 *  by the batch (*headers may be NULL when *count is 0). Any thread. */
SLUICE_API sluice_error_t *sluice_batch_headers(const sluice_batch_t *batch,
                                                const sluice_header_t **headers,
                                                uint64_t *count);

/** The batch's topic (NUL-terminated, owned by the batch), partition, and
 *  flags (SLUICE_BATCH_*). These never fail for a valid batch; for NULL they
 *  return "", -1 and 0. Any thread (the values never change for a batch). */
SLUICE_API const char *sluice_batch_topic(const sluice_batch_t *batch);
SLUICE_API int32_t sluice_batch_partition(const sluice_batch_t *batch);
SLUICE_API uint32_t sluice_batch_flags(const sluice_batch_t *batch);
/** How many times this batch was offered before (0 on first delivery). Any thread. */
SLUICE_API uint32_t sluice_batch_attempt(const sluice_batch_t *batch);

/* ------------------------------------------------------------------------ */
/* Filters (the ESM filter-criteria language, docs/FILTERS.md)               */
/* ------------------------------------------------------------------------ */

typedef struct sluice_filter sluice_filter_t;

/** Compiles filter patterns: the same value "filter.patterns" takes, a JSON
 *  array of up to 10 patterns (each a JSON object, or a string holding one, at
 *  most 4096 bytes), ORed. Errors: SLUICE_ERR_INVALID_PATTERN with
 *  sluice_error_offset() (byte offset in patterns) and sluice_error_path().
 *  The caller owns *out. */
SLUICE_API sluice_error_t *sluice_filter_new(const char *patterns, uint64_t patterns_len,
                                             sluice_filter_t **out);
/** Frees a filter. NULL is a no-op. */
SLUICE_API void sluice_filter_destroy(sluice_filter_t *filter);
/** Matches one record: *out = 1 if any pattern matches, else 0. key or value
 *  NULL means a null key/value. Never fails on any bytes. Not thread-safe for
 *  the same filter (it keeps a parser); use one filter per thread. */
SLUICE_API sluice_error_t *sluice_filter_match(sluice_filter_t *filter, const uint8_t *key,
                                               uint64_t key_len, const uint8_t *value,
                                               uint64_t value_len, int32_t *out);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_H */
