// batch.h: a batch's data, and one delivery of it to the host.
//
// Ownership: BatchData is shared. The partition state on the fetch thread holds
// it from formation until the batch succeeds (a failed batch stays there for
// its retry); each Delivery (the host's sluice_batch_t) holds it until the host
// destroys the handle. The rd_kafka messages it points into (zero-copy keys,
// values, headers) are destroyed with the last reference, on whichever thread
// that is; BatchData also keeps the Core (and so the rd_kafka_t) alive.
#pragma once

#include <librdkafka/rdkafka.h>
#include <mimalloc.h>

#include <atomic>
#include <cstdlib>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "sluice.h"

struct sluice_batch;

namespace sluice::engine {

class Core;

// ThreadSanitizer cannot see the synchronization inside libmimalloc (not
// instrumented), so memory one thread frees and another reuses would read as a
// race; TSan builds use the allocator TSan intercepts.
#if defined(__SANITIZE_THREAD__)
template <typename T>
using BatchAllocator = std::allocator<T>;
inline void* batch_malloc(size_t n) { return std::malloc(n); }
inline void batch_free(void* p) { std::free(p); }
#else
template <typename T>
using BatchAllocator = mi_stl_allocator<T>;
inline void* batch_malloc(size_t n) { return mi_malloc(n); }
inline void batch_free(void* p) { mi_free(p); }
#endif

enum class DeliveryState : int { kHeld, kQueued, kDelivered, kWithdrawn };

struct BatchData {
  explicit BatchData(std::shared_ptr<Core> c) : core(std::move(c)) {}
  ~BatchData();
  BatchData(const BatchData&) = delete;
  BatchData& operator=(const BatchData&) = delete;

  std::shared_ptr<Core> core;
  int32_t partition = -1;
  // Storage comes from mimalloc's explicit API (never the host's malloc
  // replaced): cheap cross-thread frees, since a batch is usually freed on a
  // host thread, not the fetch thread that built it.
  template <typename T>
  using Vec = std::vector<T, BatchAllocator<T>>;
  Vec<rd_kafka_message_t*> msgs;  // owned
  Vec<sluice_record_t> records;
  Vec<sluice_header_t> headers;
  uint64_t event_size = 0;  // exact, computed when formed
  uint64_t payload_bytes = 0;  // keys + values + headers, for back-pressure
  uint32_t flags = 0;    // SLUICE_BATCH_*; written before each enqueue
  uint32_t attempt = 0;  // written before each enqueue

  // Lazily encoded event. Once-only, because a host may still read the event
  // of a failed delivery while the retry's host reads the same data.
  char* event = nullptr;  // from batch_malloc
  std::once_flag event_once;

  // Fetch thread only.
  int64_t commit_to = -1;  // offset to commit when this batch succeeds
  uint64_t filtered = 0;   // filtered-out records that commit with it
  uint64_t generation = 0;

  // Shared between the fetch thread and the host's poll().
  std::atomic<DeliveryState> state{DeliveryState::kHeld};
  // Set by the fetch thread when the partition was given up while the batch
  // was out; the host's ack then reports SLUICE_ERR_REVOKED.
  std::atomic<bool> revoked{false};
  // The partition's next batch, formed while this one is out (a handle, not
  // yet queued): the host's ack of this batch queues it at once, without a
  // round trip through the fetch thread. Whoever exchanges it out owns it.
  std::atomic<sluice_batch*> successor{nullptr};
};

}  // namespace sluice::engine

// The C handle of one delivery. Defined here because the push-mode workers of
// the core create and hand out the same object the C API does.
struct sluice_batch {
  std::shared_ptr<sluice::engine::BatchData> data;
  uint64_t generation = 0;
  std::atomic<bool> done{false};
  bool borrowed = false;  // push mode: owned by the worker, not the host
  uint32_t flags = 0;     // snapshot of BatchData::flags for this delivery
  uint32_t attempt = 0;   // snapshot of BatchData::attempt
};

namespace sluice::engine {
// Delivery handles come from the same allocator as the batch storage: one per
// batch handed out, usually freed on a host thread.
inline sluice_batch* new_handle() {
  void* m = batch_malloc(sizeof(sluice_batch));
  if (!m) throw std::bad_alloc();  // as `new` would
  return new (m) sluice_batch;
}
inline void free_handle(sluice_batch* b) {
  b->~sluice_batch();
  batch_free(b);
}
}  // namespace sluice::engine
