/*
 * sluice_mock.h: UNSTABLE test support. Not covered by sluice's ABI promise
 * (it wraps librdkafka's mock cluster, which has none either); it may change in
 * any release. It exists so that every language's tests, and the CLI's demo,
 * can run the real pipeline without an external broker:
 *
 * - a mock cluster: librdkafka's in-process Kafka (real protocol on a loopback
 *   port) with fault injection;
 * - a producer and topic creation that work against any bootstrap address,
 *   the mock cluster's or a real broker's, so tests need no other client.
 *
 * Conventions as in sluice.h. Include sluice.h first. Threads: a mock cluster
 * may be used from any thread (librdkafka serialises its mock operations); a
 * producer from one thread at a time; sluice_topic_create from any thread.
 */
#ifndef SLUICE_MOCK_H
#define SLUICE_MOCK_H

#include "sluice.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sluice_mock_cluster sluice_mock_cluster_t;
typedef struct sluice_producer sluice_producer_t;

/* ---- mock cluster -------------------------------------------------------- */

/** Starts an in-process mock cluster of `brokers` brokers (1..16) on loopback.
 *  The caller owns *out. */
SLUICE_API sluice_error_t *sluice_mock_cluster_new(int32_t brokers, sluice_mock_cluster_t **out);
/** Stops and frees the cluster. NULL is a no-op. Engines using it, and every
 *  batch they handed out (a live batch keeps its engine's Kafka client alive),
 *  must be destroyed first. */
SLUICE_API void sluice_mock_cluster_destroy(sluice_mock_cluster_t *cluster);
/** The bootstrap address list ("127.0.0.1:port,..."), owned by the cluster. */
SLUICE_API const char *sluice_mock_cluster_bootstraps(const sluice_mock_cluster_t *cluster);
/** Creates a topic with `partitions` partitions (1..1000) in the mock cluster. */
SLUICE_API sluice_error_t *sluice_mock_topic_create(sluice_mock_cluster_t *cluster,
                                                    const char *topic, int32_t partitions);
/** Makes the next `count` requests of Kafka API `api_key` (e.g. 1 = Fetch,
 *  8 = OffsetCommit) fail with Kafka error code `error_code`, in every broker. */
SLUICE_API sluice_error_t *sluice_mock_push_request_errors(sluice_mock_cluster_t *cluster,
                                                           int16_t api_key, int32_t count,
                                                           int32_t error_code);
/** Takes broker `broker_id` (1-based) down (up = 0) or brings it back (up = 1). */
SLUICE_API sluice_error_t *sluice_mock_broker_set_up(sluice_mock_cluster_t *cluster,
                                                     int32_t broker_id, int32_t up);

/* ---- topics and producing, for any broker ------------------------------- */

/** Creates topic with `partitions` partitions (replication factor 1) through
 *  the admin API of the cluster at `bootstrap`; waits up to timeout_ms. An
 *  already existing topic is not an error. */
SLUICE_API sluice_error_t *sluice_topic_create(const char *bootstrap, const char *topic,
                                               int32_t partitions, int32_t timeout_ms);

/** A simple producer (acks=all, no idempotence), for tests and demos. The
 *  caller owns *out. */
SLUICE_API sluice_error_t *sluice_producer_new(const char *bootstrap, sluice_producer_t **out);
/** Flushes (up to 10 s) and frees. NULL is a no-op. */
SLUICE_API void sluice_producer_destroy(sluice_producer_t *producer);
/** Queues one record for `topic`/`partition` (-1 = chosen by key hash). key or
 *  value NULL = a null key/value. headers: header_count entries (name_len and
 *  value_len used; value NULL = null header value). timestamp_ms 0 = now. All
 *  bytes are copied. Not thread-safe for the same producer. */
SLUICE_API sluice_error_t *sluice_producer_send(sluice_producer_t *producer, const char *topic,
                                                int32_t partition, const uint8_t *key,
                                                uint32_t key_len, const uint8_t *value,
                                                uint32_t value_len,
                                                const sluice_header_t *headers,
                                                uint32_t header_count, int64_t timestamp_ms);
/** Waits up to timeout_ms until every queued record is acknowledged by the
 *  broker; SLUICE_ERR_TIMEOUT otherwise, SLUICE_ERR_KAFKA if any delivery failed. */
SLUICE_API sluice_error_t *sluice_producer_flush(sluice_producer_t *producer, int32_t timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_MOCK_H */
