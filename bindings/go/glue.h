/*
 * glue.h: C helpers for the Go binding (cgo preamble code, not part of any
 * ABI). Each helper folds several sluice.h calls into one, so that one cgo
 * crossing does the work of several: a poll hands back the batch together
 * with its topic, partition, flags, attempt and its record and header arrays;
 * an error is read out field by field in one call.
 */
#ifndef SLUICE_GO_GLUE_H
#define SLUICE_GO_GLUE_H

#include <stdlib.h>
#include <string.h>

#include "sluice.h"

/* Everything Go wants to know about a batch; pointers are owned by the batch. */
typedef struct gosluice_batch_info {
  const sluice_record_t *records;
  const sluice_header_t *headers;
  const char *topic;
  uint64_t record_count;
  uint64_t header_count;
  int32_t partition;
  uint32_t flags;
  uint32_t attempt;
} gosluice_batch_info_t;

/* Everything in an error; strings are owned by the error. */
typedef struct gosluice_error_info {
  const char *message;
  const char *key;
  const char *path;
  int64_t offset;
  int32_t code;
  int32_t retriable;
} gosluice_error_info_t;

static inline void gosluice_error_read(const sluice_error_t *err, gosluice_error_info_t *info) {
  info->code = sluice_error_code(err);
  info->message = sluice_error_message(err);
  info->key = sluice_error_key(err);
  info->path = sluice_error_path(err);
  info->offset = sluice_error_offset(err);
  info->retriable = sluice_error_retriable(err);
}

/* Fills info for a batch. sluice_batch_records/headers cannot fail for a
 * valid batch; should they, the error is returned and info is partial. */
static inline sluice_error_t *gosluice_batch_read(const sluice_batch_t *b,
                                                  gosluice_batch_info_t *info) {
  sluice_error_t *err = sluice_batch_records(b, &info->records, &info->record_count);
  if (err) return err;
  err = sluice_batch_headers(b, &info->headers, &info->header_count);
  if (err) return err;
  info->topic = sluice_batch_topic(b);
  info->partition = sluice_batch_partition(b);
  info->flags = sluice_batch_flags(b);
  info->attempt = sluice_batch_attempt(b);
  return NULL;
}

/* sluice_engine_poll, and on a batch its info too: one crossing per batch. */
static inline sluice_error_t *gosluice_engine_poll(sluice_engine_t *e, int32_t timeout_ms,
                                                   sluice_batch_t **out,
                                                   gosluice_batch_info_t *info) {
  sluice_batch_t *b = NULL;
  sluice_error_t *err = sluice_engine_poll(e, timeout_ms, &b);
  if (err) return err;
  *out = b;
  if (!b) return NULL;
  err = gosluice_batch_read(b, info);
  if (err) {
    sluice_batch_destroy(b);
    *out = NULL;
  }
  return err;
}

/* Builds a conf from n key/value pairs. */
static inline sluice_error_t *gosluice_conf_build(char **keys, char **values, int32_t n,
                                                  sluice_conf_t **out) {
  sluice_conf_t *conf = NULL;
  sluice_error_t *err = sluice_conf_new(&conf);
  if (err) return err;
  for (int32_t i = 0; i < n; ++i) {
    err = sluice_conf_set(conf, keys[i], values[i]);
    if (err) {
      sluice_conf_destroy(conf);
      return err;
    }
  }
  *out = conf;
  return NULL;
}

/* sluice_engine_new from key/value pairs, with the conf freed right away. */
static inline sluice_error_t *gosluice_engine_new(char **keys, char **values, int32_t n,
                                                  sluice_engine_t **out) {
  sluice_conf_t *conf = NULL;
  sluice_error_t *err = gosluice_conf_build(keys, values, n, &conf);
  if (err) return err;
  err = sluice_engine_new(conf, out);
  sluice_conf_destroy(conf);
  return err;
}

/* The default value of one key (sluice_conf_get on a fresh conf). */
static inline sluice_error_t *gosluice_conf_default(const char *key, char **out) {
  sluice_conf_t *conf = NULL;
  sluice_error_t *err = sluice_conf_new(&conf);
  if (err) return err;
  err = sluice_conf_get(conf, key, out);
  sluice_conf_destroy(conf);
  return err;
}

#endif /* SLUICE_GO_GLUE_H */
