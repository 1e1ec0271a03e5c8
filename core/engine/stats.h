// stats.h: the engine's counters (Lambda's metric names where one exists).
// Written by the fetch thread (and ack paths), read by any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sluice::engine {

struct Stats {
  std::atomic<uint64_t> polled{0};          // PolledEventCount: records fetched
  std::atomic<uint64_t> filtered_out{0};    // FilteredOutEventCount
  std::atomic<uint64_t> invoked{0};         // InvokedEventCount: records handed out (retries too)
  std::atomic<uint64_t> failed_invoke{0};   // FailedInvokeEventCount: records of failed batches
  std::atomic<uint64_t> committed{0};       // CommittedEventCount
  std::atomic<uint64_t> commit_errors{0};   // CommitErrorCount
  std::atomic<uint64_t> polling_errors{0};  // PollingErrorCount
  std::atomic<uint64_t> batches{0};         // batches handed out (retries too)
  std::atomic<uint64_t> oversized{0};       // batches flagged SLUICE_BATCH_OVERSIZED
  std::atomic<uint64_t> acked{0};           // batches that succeeded
  std::atomic<int64_t> inflight_batches{0};
  std::atomic<int64_t> buffered_records{0};
  std::atomic<int64_t> buffered_bytes{0};
  std::atomic<int64_t> assigned{0};
  std::atomic<int64_t> paused{0};
  std::atomic<uint64_t> rebalances{0};

  // Per partition: the position lag is measured from (committed offset, or
  // the first fetched one before any commit). Guarded by mu.
  mutable std::mutex mu;
  std::map<int32_t, int64_t> position;
  std::string last_error;
};

}  // namespace sluice::engine
