/* capi_overhead.c: the C API baseline for the bindings' overhead benchmark.
 *
 *   capi_overhead --bootstrap B --topic T --records N [--batch-size 100]
 *                 [--produce --partitions P --value-size S]
 *
 * With --produce it first creates the topic and writes N records. Then it
 * consumes the topic from the beginning with a fresh group in pull mode,
 * touching every record view and acking each batch (the same no-op work the
 * Python, Go and Rust programs do), and prints records_per_sec=<x> last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sluice.h"
#include "sluice_mock.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(sluice_error_t *e, const char *what) {
  if (!e) return;
  fprintf(stderr, "%s: %s: %s\n", what, sluice_code_name(sluice_error_code(e)), sluice_error_message(e));
  sluice_error_destroy(e);
  exit(1);
}

int main(int argc, char **argv) {
  const char *bootstrap = NULL, *topic = NULL, *batch_size = "100";
  long records = 0, partitions = 4, value_size = 100;
  int produce = 0;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--bootstrap") && i + 1 < argc) bootstrap = argv[++i];
    else if (!strcmp(argv[i], "--topic") && i + 1 < argc) topic = argv[++i];
    else if (!strcmp(argv[i], "--records") && i + 1 < argc) records = atol(argv[++i]);
    else if (!strcmp(argv[i], "--batch-size") && i + 1 < argc) batch_size = argv[++i];
    else if (!strcmp(argv[i], "--partitions") && i + 1 < argc) partitions = atol(argv[++i]);
    else if (!strcmp(argv[i], "--value-size") && i + 1 < argc) value_size = atol(argv[++i]);
    else if (!strcmp(argv[i], "--produce")) produce = 1;
    else {
      fprintf(stderr, "usage: %s --bootstrap B --topic T --records N [--batch-size K] "
                      "[--produce --partitions P --value-size S]\n", argv[0]);
      return 2;
    }
  }
  if (!bootstrap || !topic || records <= 0) return 2;

  if (produce) {
    check(sluice_topic_create(bootstrap, topic, (int32_t)partitions, 30000), "create topic");
    sluice_producer_t *p;
    check(sluice_producer_new(bootstrap, &p), "producer");
    uint8_t *value = malloc((size_t)value_size);
    memset(value, 'v', (size_t)value_size);
    for (long i = 0; i < records; ++i) {
      char key[32];
      int kl = snprintf(key, sizeof key, "key-%ld", i);
      check(sluice_producer_send(p, topic, (int32_t)(i % partitions), (const uint8_t *)key,
                                 (uint32_t)kl, value, (uint32_t)value_size, NULL, 0, 0), "send");
    }
    check(sluice_producer_flush(p, 120000), "flush");
    sluice_producer_destroy(p);
    free(value);
  }

  char group[64];
  snprintf(group, sizeof group, "capi-overhead-%ld", (long)time(NULL) ^ (long)clock());
  sluice_conf_t *conf;
  check(sluice_conf_new(&conf), "conf");
  const char *kv[][2] = {{"bootstrap.servers", bootstrap}, {"topic", topic}, {"group.id", group},
                         {"starting.position", "trim_horizon"}, {"batch.window.ms", "0"},
                         {"batch.size", batch_size}};
  for (size_t i = 0; i < sizeof kv / sizeof kv[0]; ++i) check(sluice_conf_set(conf, kv[i][0], kv[i][1]), kv[i][0]);
  sluice_engine_t *engine;
  check(sluice_engine_new(conf, &engine), "engine");
  sluice_conf_destroy(conf);

  long got = 0;
  uint64_t checksum = 0;
  double start = 0;
  while (got < records) {
    sluice_batch_t *b = NULL;
    check(sluice_engine_poll(engine, 1000, &b), "poll");
    if (!b) continue;
    if (start == 0) start = now_s();  /* from the first batch: excludes the group join */
    const sluice_record_t *r;
    uint64_t n;
    check(sluice_batch_records(b, &r, &n), "records");
    for (uint64_t i = 0; i < n; ++i) checksum += (uint64_t)r[i].offset + r[i].value_len + r[i].key_len;
    check(sluice_batch_ack(b), "ack");
    sluice_batch_destroy(b);
    got += (long)n;
  }
  double secs = now_s() - start;
  check(sluice_engine_stop(engine, 10000), "stop");
  sluice_engine_destroy(engine);
  printf("records=%ld seconds=%.3f checksum=%llu\n", got, secs, (unsigned long long)checksum);
  printf("records_per_sec=%.1f\n", (double)got / secs);
  return 0;
}
