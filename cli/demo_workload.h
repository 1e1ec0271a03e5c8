// demo_workload.h: the embedded default of `sluice run`: an in-process mock
// Kafka cluster (sluice_mock.h) holding a small, realistic sample topic.
#pragma once

#include <cstdint>
#include <string>

#include "sluice.h"
#include "sluice_mock.h"

namespace sluice_cli {

struct DemoCounts {
  int64_t records = 0;     // produced in all
  int64_t ok = 0;          // JSON values with "status":"ok"
  int64_t error = 0;       // JSON values with "status":"error"
  int64_t tombstones = 0;  // null values
  int64_t null_keys = 0;
};

// Starts a one-broker mock cluster, creates topic with `partitions`
// partitions and produces `records` records into it:
//   key    "order-<n>" (every 50th key null)
//   value  {"order_id":n,"device_ID":"AB0042","amount":12.34,"status":"ok"}
//          ("status":"error" for about 1 in 10; every 997th record a tombstone)
//   headers "source: sluice-demo", "trace-id": 8 binary bytes (some >= 0x80),
//          and on every 7th record "tag" twice (duplicate names are kept).
// The caller owns *cluster (sluice_mock_cluster_destroy after the engine).
sluice_error_t* start_demo(const std::string& topic, int32_t partitions, int64_t records,
                           sluice_mock_cluster_t** cluster, DemoCounts* counts);

}  // namespace sluice_cli
