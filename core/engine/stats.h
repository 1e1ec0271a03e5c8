// stats.h: the engine's counters (Lambda's metric names where one exists).
// Written by the fetch thread (and ack paths), read by any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sluice::engine {

// A counter only the fetch thread writes and any thread reads: a plain load
// and store instead of a locked read-modify-write, which costs about as much
// as the rest of a record's bookkeeping when done several times per record.
template <typename T>
class FetchCounter {
 public:
  FetchCounter& operator+=(T n) {
    v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    return *this;
  }
  FetchCounter& operator-=(T n) { return *this += -n; }
  FetchCounter& operator++(int) { return *this += 1; }
  FetchCounter& operator--(int) { return *this += -1; }
  operator T() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<T> v_{0};
};

struct Stats {
  FetchCounter<uint64_t> polled;            // PolledEventCount: records fetched
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
  FetchCounter<int64_t> buffered_records;  // fetch thread only, like polled
  FetchCounter<int64_t> buffered_bytes;
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
