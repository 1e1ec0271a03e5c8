// capi_helpers.h: small RAII and assertion helpers for tests that drive sluice
// through its C ABI, as a host would.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "sluice.h"
#include "sluice_mock.h"

namespace sluice::testing {

// Fails the current test with the error's code and message; frees it.
#define SLUICE_ASSERT_OK(call)                                                              \
  do {                                                                                      \
    sluice_error_t* sluice_err_ = (call);                                                   \
    if (sluice_err_) {                                                                      \
      std::string m_ = std::string(sluice_code_name(sluice_error_code(sluice_err_))) + ": " + \
                       sluice_error_message(sluice_err_);                                   \
      sluice_error_destroy(sluice_err_);                                                    \
      FAIL() << #call << " -> " << m_;                                                      \
    }                                                                                       \
  } while (0)

// Runs call, expects an error with that code; returns its message.
std::string expect_error(sluice_error_t* err, sluice_code_t code);

struct ErrorDeleter {
  void operator()(sluice_error_t* e) const { sluice_error_destroy(e); }
};
using ErrorPtr = std::unique_ptr<sluice_error_t, ErrorDeleter>;

struct ConfDeleter {
  void operator()(sluice_conf_t* c) const { sluice_conf_destroy(c); }
};
using ConfPtr = std::unique_ptr<sluice_conf_t, ConfDeleter>;
struct EngineDeleter {
  void operator()(sluice_engine_t* e) const { sluice_engine_destroy(e); }
};
using EnginePtr = std::unique_ptr<sluice_engine_t, EngineDeleter>;
struct BatchDeleter {
  void operator()(sluice_batch_t* b) const { sluice_batch_destroy(b); }
};
using BatchPtr = std::unique_ptr<sluice_batch_t, BatchDeleter>;

// A conf with the given settings; fails the test on any error.
ConfPtr make_conf(const std::map<std::string, std::string>& settings);

// One record as a test produces or expects it.
struct TestRecord {
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
};

// Produces records to topic/partition and waits until the broker has them all.
void produce(const std::string& bootstrap, const std::string& topic, int32_t partition,
             const std::vector<TestRecord>& records);
// Produces n records "value-<i>" (key "key-<i>") to each of `partitions` partitions.
void produce_numbered(const std::string& bootstrap, const std::string& topic,
                      int32_t partitions, int n_per_partition, size_t value_size = 0);

// A delivered batch, copied out of the engine for later inspection.
struct SeenBatch {
  int32_t partition = -1;
  uint32_t attempt = 0;
  uint32_t flags = 0;
  std::vector<int64_t> offsets;
  std::vector<std::string> values;
  std::string event;
};
SeenBatch copy_batch(const sluice_batch_t* b, bool with_event);

// Pulls batches until `records` records were seen (or timeout_ms passes),
// deciding per batch with `ack` (default: ack all). Returns what was seen.
std::vector<SeenBatch> pull_until(sluice_engine_t* e, size_t records, int timeout_ms,
                                  const std::function<bool(const SeenBatch&)>& ack = {},
                                  bool with_event = false);

// The engine's stats JSON, and one top-level number of it (-1 when absent).
std::string engine_stats(sluice_engine_t* e);
int64_t stat_number(const std::string& stats_json, const std::string& key);

// Total records over batches.
size_t record_count(const std::vector<SeenBatch>& batches);

}  // namespace sluice::testing
