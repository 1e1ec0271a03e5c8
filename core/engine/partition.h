// partition.h: what the fetch thread knows about one assigned partition.
// Owned by the fetch thread (Core::parts_); nothing here is touched elsewhere.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>

#include "core/engine/batch.h"
#include "core/engine/ring.h"

namespace sluice::engine {

using Clock = std::chrono::steady_clock;

// A fetched record waiting for its batch. It keeps the record's view, read
// while the message was hot in cache: with a deep backlog the message is long
// out of cache by the time its batch forms, and form_batch then only reads
// this ring, front to back.
struct Pending {
  rd_kafka_message_t* msg = nullptr;
  sluice_record_t rec{};      // header_first is set when the batch forms
  uint32_t event_size = 0;    // its JSON object's bytes in the event
  uint32_t payload = 0;       // key + value + header bytes (back-pressure)
  uint32_t filtered_after = 0;  // filtered-out records right after it
  int64_t commit_to = -1;     // offset to commit once it is done (covers
                              // filtered records that followed it)
  Clock::time_point arrival;  // for batch.window.ms
};

struct PartitionState {
  int32_t partition = -1;
  Ring<Pending> pending;
  uint64_t pending_event_bytes = 0;

  // The batch handed out or waiting for its retry; at most one per partition,
  // which is what keeps batches of a partition in order.
  std::shared_ptr<BatchData> inflight;
  bool outstanding = false;        // inflight is with the host (queued/delivered)
  // The next batches, formed while inflight is out, each one's handle
  // published in its predecessor's `successor` for the host's ack of that
  // predecessor to queue (see Core::stage). Only full batches are staged, so
  // a window still gathers records as before.
  std::deque<std::shared_ptr<BatchData>> staged;
  // The newest batch formed (the last staged one, else inflight; it must
  // exist): the next staged batch follows it, and filtered-out records after
  // it commit with it, never with an older one.
  BatchData& last_formed() const { return staged.empty() ? *inflight : *staged.back(); }
  Clock::time_point retry_at{};    // when a failed inflight may go again

  int64_t next_offset = -1;  // one past the last offset fetched
  int64_t safe_to = -1;      // everything below is acked or filtered
  int64_t committed = -1;    // last offset sent in a commit
  uint64_t uncommitted_events = 0;  // acked/filtered records not yet in a commit
  // Back-pressure: while `held`, the partition's librdkafka queue is detached
  // from the consumer queue, so its fetched messages wait in librdkafka and
  // librdkafka stops fetching it once that queue is full (see
  // Core::apply_backpressure). `queue` is our reference to it, taken the first
  // time it is held and given back (re-attached) when the partition goes.
  rd_kafka_queue_t* queue = nullptr;
  bool held = false;
};

}  // namespace sluice::engine
