#include "demo_workload.h"

#include <cstdio>
#include <string>

namespace sluice_cli {

namespace {

// splitmix64: a fixed seed, so every demo run produces the same records.
struct Rng {
  uint64_t s = 0x5eed5109ce5eedULL;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

sluice_header_t header(const char* name, size_t name_len, const uint8_t* value, size_t value_len) {
  sluice_header_t h;
  h.name = name;
  h.name_len = static_cast<uint32_t>(name_len);
  h.value = value;
  h.value_len = static_cast<uint32_t>(value_len);
  return h;
}

}  // namespace

sluice_error_t* start_demo(const std::string& topic, int32_t partitions, int64_t records,
                           sluice_mock_cluster_t** cluster_out, DemoCounts* counts) {
  sluice_mock_cluster_t* cluster = nullptr;
  if (sluice_error_t* e = sluice_mock_cluster_new(1, &cluster)) return e;
  if (sluice_error_t* e = sluice_mock_topic_create(cluster, topic.c_str(), partitions)) {
    sluice_mock_cluster_destroy(cluster);
    return e;
  }
  sluice_producer_t* producer = nullptr;
  if (sluice_error_t* e = sluice_producer_new(sluice_mock_cluster_bootstraps(cluster), &producer)) {
    sluice_mock_cluster_destroy(cluster);
    return e;
  }

  DemoCounts c;
  Rng rng;
  static const char* const kDevices[] = {"AB", "AB", "CD", "EF"};
  static const uint8_t kSource[] = {'s', 'l', 'u', 'i', 'c', 'e', '-', 'd', 'e', 'm', 'o'};
  static const uint8_t kTagA[] = {'b', 'l', 'u', 'e'};
  static const uint8_t kTagB[] = {'f', 'r', 'a', 'g', 'i', 'l', 'e'};
  char key[32];
  char value[160];
  uint8_t trace[8];
  sluice_error_t* err = nullptr;
  for (int64_t n = 0; n < records && !err; ++n) {
    uint64_t r = rng.next();
    int key_len = std::snprintf(key, sizeof key, "order-%lld", static_cast<long long>(n));
    bool null_key = n % 50 == 49;
    bool tombstone = n % 997 == 996;
    bool ok = r % 10 != 0;
    int value_len = 0;
    if (!tombstone) {
      unsigned cents = static_cast<unsigned>((r >> 8) % 100000);
      value_len = std::snprintf(
          value, sizeof value,
          "{\"order_id\":%lld,\"device_ID\":\"%s%04u\",\"amount\":%u.%02u,\"status\":\"%s\"}",
          static_cast<long long>(n), kDevices[(r >> 4) % 4], static_cast<unsigned>((r >> 24) % 10000),
          cents / 100, cents % 100, ok ? "ok" : "error");
    }
    uint64_t t = rng.next();
    for (int i = 0; i < 8; ++i) trace[i] = static_cast<uint8_t>(t >> (8 * i));
    sluice_header_t headers[4] = {
        header("source", 6, kSource, sizeof kSource),
        header("trace-id", 8, trace, sizeof trace),
        header("tag", 3, kTagA, sizeof kTagA),
        header("tag", 3, kTagB, sizeof kTagB),
    };
    uint32_t header_count = n % 7 == 0 ? 4 : 2;
    err = sluice_producer_send(producer, topic.c_str(), -1,
                               null_key ? nullptr : reinterpret_cast<const uint8_t*>(key),
                               null_key ? 0 : static_cast<uint32_t>(key_len),
                               tombstone ? nullptr : reinterpret_cast<const uint8_t*>(value),
                               static_cast<uint32_t>(value_len), headers, header_count, 0);
    c.records++;
    if (tombstone) {
      c.tombstones++;
    } else if (ok) {
      c.ok++;
    } else {
      c.error++;
    }
    if (null_key) c.null_keys++;
  }
  if (!err) err = sluice_producer_flush(producer, 30000);
  sluice_producer_destroy(producer);
  if (err) {
    sluice_mock_cluster_destroy(cluster);
    return err;
  }
  *cluster_out = cluster;
  *counts = c;
  return nullptr;
}

}  // namespace sluice_cli
