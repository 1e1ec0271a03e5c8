// fetcher.cc: the fetch thread. It alone polls the consumer, runs librdkafka's
// callbacks, filters, assembles batches, hands them out (one per partition at
// a time, at most max.concurrency in all), commits, and pauses fetching when
// too much is buffered. See docs/ARCHITECTURE.md and docs/SEMANTICS.md.
#include <mimalloc.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <thread>

#include "core/engine/core.h"
#include "core/engine/headers.h"
#include "core/filter/matcher.h"

namespace sluice::engine {

namespace {
constexpr auto kMaxWait = std::chrono::milliseconds(100);
// Retired batches the fetch thread lets wait for an idle host before it frees
// them itself (memory bound: these hold their records until freed).
constexpr size_t kMaxRetired = 64;
// Full batches formed ahead per partition while one is out (see Core::stage):
// about kStageRecords records' worth, at least 4 and at most 256 batches.
// Every batch in the chain is one the host's ack hands out without waking the
// fetch thread, and such a wake-up and the host's sleep until the next batch
// cost 10-20 us of CPU each on a small VM (bench/handoff). With 4 batches of
// 100, half the batches of a fast host went through a sleeping thread; with 81,
// few do (bench/results/e2e-2026-11-22-session3.txt). Staging moves records
// from the pending ring into batches, so it costs no memory; the bound keeps
// one dispatch from forming batches for long (a few hundred microseconds at
// most) while messages wait.
constexpr size_t kStageRecords = 8192;
size_t stage_depth(int64_t batch_size) {
  return std::clamp<size_t>(kStageRecords / static_cast<size_t>(std::max<int64_t>(1, batch_size)), 4, 256);
}
int to_ms(Clock::duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::clamp<int64_t>(ms, 0, 100));
}
}  // namespace

PartitionState* Core::find(int32_t partition) {
  if (partition < 0 || static_cast<size_t>(partition) >= parts_.size()) return nullptr;
  return parts_[partition].get();
}

void Core::publish_position(const PartitionState& p) {
  std::lock_guard<std::mutex> g(stats_.mu);
  stats_.position[p.partition] = p.safe_to >= 0 ? p.safe_to : p.next_offset;
}

void Core::run() {
  while (!stop_requested_.load(std::memory_order_acquire)) {
    auto now = Clock::now();
    drain_completions(now);
    dispatch(now);
    flush_commits(false);
    apply_backpressure();

    // Wait for the first message (returns as soon as one is there, or when an
    // ack yields the queue), then take whatever else is ready without waiting.
    int wait = completions_.size_approx() ? 0 : to_ms(next_deadline(now) - now);
    // Idle soon, or the host is not freeing: free retired batches here.
    if (wait > 0 || retired_.size_approx() > kMaxRetired) reap(wait > 0 ? SIZE_MAX : kMaxRetired / 2);
    if (wait > 0) {
      // Announce the wait, then look once more (pairs with complete(): either
      // it sees us waiting and yields the queue, or we see its completion).
      fetch_waiting_.store(true, std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_seq_cst);
      if (completions_.size_approx()) wait = 0;
    }
    rd_kafka_message_t* first = rd_kafka_consume_queue(cq_, wait);
    fetch_waiting_.store(false, std::memory_order_relaxed);
    if (!first) continue;
    now = Clock::now();
    handle_message(first, now);
    ssize_t n = rd_kafka_consume_batch_queue(cq_, 0, msgbuf_.data(), msgbuf_.size());
    for (ssize_t i = 0; i < n; ++i) {
      handle_message(msgbuf_[i], now);
      // Acks do not wait behind a long run of messages (thousands take
      // hundreds of microseconds): the partition's next batch is staged
      // only once the previous ack is taken.
      if ((i & 127) == 127 && completions_.size_approx()) {
        drain_completions(now);
        dispatch(now);
      }
    }
  }
  drain_for_stop();
}

Clock::time_point Core::next_deadline(Clock::time_point now) const {
  auto t = now + kMaxWait;
  if (commit_dirty_) t = std::min(t, last_commit_ + s_.commit_interval);
  for (const PartitionState* p : assigned_) {
    if (p->inflight && !p->outstanding) t = std::min(t, p->retry_at);
    else if (!p->inflight && !p->pending.empty())
      t = std::min(t, p->pending.front().arrival + s_.window);
  }
  return t;
}

void Core::handle_message(rd_kafka_message_t* m, Clock::time_point now) {
  if (m->err) {
    if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      stats_.polling_errors++;
      std::lock_guard<std::mutex> g(stats_.mu);
      stats_.last_error = std::string("fetch: ") + rd_kafka_message_errstr(m);
    }
    rd_kafka_message_destroy(m);
    return;
  }
  PartitionState* p = find(m->partition);
  // Stale (after a revoke) or duplicate (a refetch of what we have) records
  // are dropped: the partition's next owner, or we already, have them.
  if (!p || m->offset < p->next_offset) {
    rd_kafka_message_destroy(m);
    return;
  }
  p->next_offset = m->offset + 1;
  stats_.polled++;
  if (p->safe_to < 0) {
    p->safe_to = m->offset;  // nothing before this is ours to deliver
    publish_position(*p);
  }

  const auto* key = static_cast<const uint8_t*>(m->key);
  const auto* val = static_cast<const uint8_t*>(m->payload);
  if (matcher_ && !matcher_->match(key, m->key_len, key == nullptr, val, m->len, val == nullptr)) {
    // Filtered out: never reaches the host, but its offset is committed along
    // with whatever precedes it (or right away when nothing does).
    stats_.filtered_out++;
    const int64_t to = m->offset + 1;
    if (!p->pending.empty()) {
      p->pending.back().commit_to = to;
      p->pending.back().filtered_after++;
    } else if (p->inflight) {
      // Not with the batch out if batches are staged after it: its ack would
      // commit their records too.
      BatchData& last = p->last_formed();
      last.commit_to = to;
      last.filtered++;
    } else {
      p->safe_to = to;
      p->uncommitted_events++;
      commit_dirty_ = true;
    }
    rd_kafka_message_destroy(m);
    return;
  }

  // Its size in the event, so batches can be cut before batch.max.bytes.
  sluice_record_t r{};
  r.key = key;
  r.key_len = key ? static_cast<uint32_t>(m->key_len) : 0;
  r.value = val;
  r.value_len = val ? static_cast<uint32_t>(m->len) : 0;
  r.offset = m->offset;
  r.partition = m->partition;
  rd_kafka_timestamp_type_t tstype;
  r.timestamp = rd_kafka_message_timestamp(m, &tstype);
  r.timestamp_type = static_cast<int32_t>(tstype);
  uint64_t payload = r.key_len + r.value_len;
  hdr_scratch_.clear();
  read_headers(m, hdr_scratch_);
  for (const auto& h : hdr_scratch_) payload += h.name_len + h.value_len;
  r.header_first = 0;
  r.header_count = static_cast<uint32_t>(hdr_scratch_.size());
  const auto size = writer_.record_size(topic_json_len_, r, hdr_scratch_.data());

  p->pending.push_back(Pending{m, r, static_cast<uint32_t>(size), static_cast<uint32_t>(payload),
                               0, m->offset + 1, now});
  p->pending_event_bytes += size;
  stats_.buffered_records++;
  stats_.buffered_bytes += static_cast<int64_t>(payload);
}

std::shared_ptr<BatchData> Core::form_batch(PartitionState& p) {
  auto b = std::allocate_shared<BatchData>(BatchAllocator<BatchData>(), shared_from_this());
  b->partition = p.partition;
  uint64_t total = writer_.envelope_size(s_.topic, p.partition);
  size_t k = 0;
  for (; k < p.pending.size() && static_cast<int64_t>(k) < s_.batch_size; ++k) {
    uint64_t add = p.pending[k].event_size + (k ? 1 : 0);
    if (k > 0 && total + add > s_.max_bytes) break;
    total += add;
  }
  if (total > s_.max_bytes) b->flags |= SLUICE_BATCH_OVERSIZED;
  b->event_size = total;
  b->msgs.reserve(k);
  b->records.reserve(k);
  size_t nheaders = 0;
  for (size_t i = 0; i < k; ++i) nheaders += p.pending[i].rec.header_count;
  b->headers.reserve(nheaders);
  for (size_t i = 0; i < k; ++i) {
    Pending& pe = p.pending.front();
    rd_kafka_message_t* m = pe.msg;
    sluice_record_t r = pe.rec;
    r.header_first = static_cast<uint32_t>(b->headers.size());
    if (r.header_count) read_headers(m, b->headers);  // librdkafka parsed them on arrival
    b->records.push_back(r);
    b->msgs.push_back(m);
    b->commit_to = pe.commit_to;
    b->filtered += pe.filtered_after;
    b->payload_bytes += pe.payload;
    p.pending_event_bytes -= pe.event_size;
    p.pending.pop_front();
  }
  return b;
}

sluice_batch* Core::make_handle(const std::shared_ptr<BatchData>& d) {
  auto* h = new_handle();
  h->data = d;
  h->generation = ++d->generation;
  h->flags = d->flags;
  h->attempt = d->attempt;
  return h;
}

void Core::enqueue(PartitionState& p, Clock::time_point) {
  sluice_batch* h = make_handle(p.inflight);
  p.outstanding = true;
  outstanding_++;
  stats_.inflight_batches = outstanding_;
  stats_.batches++;
  stats_.invoked += p.inflight->records.size();
  queue_handle(h);
}

// A batch's worth of records is waiting (batch.size, or batch.max.bytes).
bool Core::full_batch_pending(const PartitionState& p) const {
  if (p.pending.empty()) return false;
  const uint64_t envelope = writer_.envelope_size(s_.topic, p.partition);
  return static_cast<int64_t>(p.pending.size()) >= s_.batch_size ||
         envelope + p.pending_event_bytes + p.pending.size() - 1 > s_.max_bytes;
}

// A partition with no batch out: its failed batch again, or a new one.
void Core::dispatch_one(PartitionState& p, Clock::time_point now) {
  if (p.inflight) {  // a failed batch waiting for its retry
    if (now >= p.retry_at) enqueue(p, now);
    return;
  }
  if (p.pending.empty()) return;
  if (!full_batch_pending(p) && now < p.pending.front().arrival + s_.window) return;
  p.inflight = form_batch(p);
  if (p.inflight->flags & SLUICE_BATCH_OVERSIZED) stats_.oversized++;
  enqueue(p, now);
}

// While a partition's batch is out, its next full batches (up to
// stage_depth()) are formed, each one's handle left in its predecessor's
// `successor`: the host's ack of a batch queues the next one right away
// (Core::complete), so the partition's next batch does not wait for the fetch
// thread to wake up, take the ack and form it (two thread wake-ups per batch,
// which capped small batches), and the fetch thread need not wake for every
// ack. Still one batch of a partition out at a time, in order: a staged batch
// is queued only by the ack of the one before it.
void Core::stage(PartitionState& p) {
  if (!p.inflight || !p.outstanding) return;
  const size_t depth = stage_depth(s_.batch_size);
  while (p.staged.size() < depth && full_batch_pending(p)) {
    std::shared_ptr<BatchData> next = form_batch(p);
    if (next->flags & SLUICE_BATCH_OVERSIZED) stats_.oversized++;
    p.last_formed().successor.store(make_handle(next), std::memory_order_release);
    p.staged.push_back(std::move(next));
  }
}

void Core::dispatch(Clock::time_point now) {
  if (state() != State::kRunning || assigned_.empty()) return;
  const size_t n = assigned_.size();
  for (size_t i = 0; i < n; ++i) {
    PartitionState& p = *assigned_[(rr_ + i) % n];
    if (p.outstanding) {
      stage(p);
    } else if (outstanding_ < s_.max_concurrency) {
      dispatch_one(p, now);
    }
  }
  rr_ = (rr_ + 1) % n;
}

int Core::drain_completions(Clock::time_point now) {
  int n = 0;
  Completion c;
  while (completions_.try_dequeue(c)) {
    process_completion(c, now);
    c.data.reset();
    ++n;
  }
  return n;
}

// A batch's records no longer count against max.inflight.* (acked, or
// dropped with their partition).
void Core::unbuffer(const BatchData& b) {
  stats_.buffered_records -= static_cast<int64_t>(b.records.size());
  stats_.buffered_bytes -= static_cast<int64_t>(b.payload_bytes);
}

// The partition's outstanding batch succeeded: its offsets may be committed,
// and a staged next batch becomes the outstanding one (queued by the host's
// ack, or here if it was staged after the ack looked).
void Core::ack_inflight(PartitionState& p) {
  BatchData& d = *p.inflight;
  d.state.store(DeliveryState::kHeld, std::memory_order_release);
  stats_.acked++;
  p.safe_to = std::max(p.safe_to, d.commit_to);
  p.uncommitted_events += d.records.size() + d.filtered;
  unbuffer(d);
  commit_dirty_ = true;
  sluice_batch* unqueued = d.successor.exchange(nullptr, std::memory_order_acq_rel);
  retired_.enqueue(std::move(p.inflight));
  if (!p.staged.empty()) {
    p.inflight = std::move(p.staged.front());  // still one batch of the partition out
    p.staged.pop_front();
    stats_.batches++;
    stats_.invoked += p.inflight->records.size();
    if (unqueued) queue_handle(unqueued);
  } else {
    p.outstanding = false;
    outstanding_--;
  }
  stats_.inflight_batches = outstanding_;
}

// Before a partition is revoked or the engine stops: staged batches nobody
// queued go back unacknowledged (their records are fetched again by whoever
// owns the partition next); one the host queued means the batch before it
// was acked, whether or not that completion has arrived, and becomes
// outstanding.
void Core::settle_staged(PartitionState& p) {
  while (!p.staged.empty()) {
    sluice_batch* h = p.inflight->successor.exchange(nullptr, std::memory_order_acq_rel);
    if (!h) {
      ack_inflight(p);  // the host queued the first staged batch
      continue;
    }
    free_handle(h);
    for (auto& b : p.staged) {  // never delivered, so their successors never queued
      if (sluice_batch* later = b->successor.exchange(nullptr, std::memory_order_acq_rel))
        free_handle(later);
      unbuffer(*b);
    }
    p.staged.clear();
  }
}

void Core::process_completion(Completion& c, Clock::time_point now) {
  BatchData& d = *c.data;
  PartitionState* p = find(d.partition);
  if (!p) return;
  // A staged batch completed before the acks that queued it (and the ones
  // before it) were taken: the completion queue keeps order per producing
  // thread only. Those acks are implied, since only an ack of a batch queues
  // its successor.
  if (p->inflight && p->outstanding)
    for (size_t i = 0; i < p->staged.size(); ++i)
      if (p->staged[i] == c.data) {
        for (size_t k = 0; k <= i; ++k) ack_inflight(*p);
        break;
      }
  if (p->inflight != c.data || d.generation != c.generation || !p->outstanding) return;
  if (c.ok) {
    ack_inflight(*p);
    return;
  }
  p->outstanding = false;
  outstanding_--;
  stats_.inflight_batches = outstanding_;
  d.state.store(DeliveryState::kHeld, std::memory_order_release);
  stats_.failed_invoke += d.records.size();
  d.attempt++;
  d.flags |= SLUICE_BATCH_RETRY;
  if (state() != State::kRunning) return;  // stopping: not offered again
  auto backoff = s_.backoff;
  for (uint32_t i = 1; i < d.attempt && backoff < s_.backoff_max; ++i) backoff *= 2;
  p->retry_at = now + std::min(backoff, s_.backoff_max);
}

void Core::flush_commits(bool sync) {
  // Async (the steady state): only positions that moved. Sync (stop, revoke):
  // every position, retried within a bound, since an async commit that failed
  // may not have reported back yet and nothing after this would resend it.
  if (!commit_dirty_ && !sync) return;
  // Coalesce: one commit request per interval carries every partition's
  // latest position (per-ack commits flood the group coordinator).
  const auto now = Clock::now();
  if (!sync && now - last_commit_ < s_.commit_interval) return;
  if (!sync && rejoining_) {
    if (Clock::now() - rejoin_since_ < std::chrono::seconds(30)) return;  // stays dirty
    rejoining_ = false;  // never saw the new generation: don't hold commits forever
  }
  commit_dirty_ = false;
  last_commit_ = now;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(8);
  uint64_t events = 0;
  for (PartitionState* p : assigned_) {
    if (p->safe_to < 0 || (!sync && p->safe_to == p->committed)) continue;
    rd_kafka_topic_partition_list_add(list, s_.topic.c_str(), p->partition)->offset = p->safe_to;
    p->committed = p->safe_to;
    events += p->uncommitted_events;
    p->uncommitted_events = 0;
    publish_position(*p);
  }
  if (list->cnt > 0) {
    rd_kafka_resp_err_t err = sync ? commit_bounded(list) : rd_kafka_commit(rk_, list, 1);
    if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
      stats_.commit_errors++;
      {
        std::lock_guard<std::mutex> g(stats_.mu);
        stats_.last_error = std::string("commit: ") + rd_kafka_err2str(err);
      }
      for (PartitionState* p : assigned_) p->committed = -1;  // resend with the next commit
      commit_dirty_ = true;
    } else {
      stats_.committed += events;
    }
  }
  rd_kafka_topic_partition_list_destroy(list);
}

// A synchronous commit that gives up at a deadline of ours: rd_kafka_commit's
// own sync mode waits while the coordinator is unknown, up to the socket
// timeout (60 s), which would make stop() and revokes hang far past their
// bounds. Retries until the deadline (at least 2 s); what is not committed
// then is delivered again later (at-least-once).
rd_kafka_resp_err_t Core::commit_bounded(rd_kafka_topic_partition_list_t* list) {
  const auto deadline = std::max(Clock::now() + std::chrono::seconds(2), commit_deadline_);
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
  for (int attempt = 0; Clock::now() < deadline; ++attempt) {
    if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    rd_kafka_queue_t* q = rd_kafka_queue_new(rk_);
    err = rd_kafka_commit_queue(rk_, list, q, nullptr, nullptr);
    if (!err) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      rd_kafka_event_t* ev = rd_kafka_queue_poll(q, static_cast<int>(std::max<int64_t>(1, left.count())));
      err = ev ? rd_kafka_event_error(ev) : RD_KAFKA_RESP_ERR__TIMED_OUT;
      if (ev) rd_kafka_event_destroy(ev);
    }
    rd_kafka_queue_destroy(q);
    if (!err || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return err;
  }
  return err;
}

void Core::apply_backpressure() {
  const bool over = stats_.buffered_records >= s_.max_inflight_records ||
                    stats_.buffered_bytes >= s_.max_inflight_bytes;
  const bool under = stats_.buffered_records < s_.max_inflight_records / 2 &&
                     stats_.buffered_bytes < s_.max_inflight_bytes / 2;
  if (!over && !under) return;
  for (PartitionState* p : assigned_) {
    // Over the bound, the partitions holding records stop feeding us; the
    // others keep going, so one slow partition does not stall the rest until
    // the bound is reached. Let go with hysteresis, at half the bound.
    //
    // Not rd_kafka_pause_partitions: a pause throws away what librdkafka had
    // prefetched for the partition, and 2.0's resume took ~1 s to fetch again
    // (measured: 0.06x raw throughput at max.inflight.records 50,000).
    // Detaching the partition's queue keeps its prefetched messages, and
    // librdkafka stops fetching it by itself once that queue holds
    // queued.min.messages or queued.max.messages.kbytes.
    if (over && !p->held && (!p->pending.empty() || p->inflight)) {
      if (!p->queue) p->queue = rd_kafka_queue_get_partition(rk_, s_.topic.c_str(), p->partition);
      if (!p->queue) continue;  // librdkafka does not know it (yet): nothing to hold
      rd_kafka_queue_forward(p->queue, nullptr);
      p->held = true;
      stats_.paused++;
    } else if (under && p->held) {
      release_hold(*p);
    }
  }
}

// Re-attaches a held partition's queue to the consumer queue: what it holds
// moves over in order, behind what is already there.
void Core::release_hold(PartitionState& p) {
  if (!p.held) return;
  rd_kafka_queue_forward(p.queue, cq_);
  p.held = false;
  stats_.paused--;
}

void Core::on_assign(rd_kafka_topic_partition_list_t* parts) {
  assignments_seen_++;
  // The first assign after a cooperative revoke is librdkafka's immediate
  // "assign after revoke" (still rejoining); the next one ends the rebalance.
  if (expect_assign_after_revoke_) {
    expect_assign_after_revoke_ = false;
  } else {
    rejoining_ = false;
  }
  resume_lost_positions(parts);
  if (s_.starting_position == "at_timestamp") {
    // Only partitions without a committed offset start at the timestamp.
    rd_kafka_topic_partition_list_t* c = rd_kafka_topic_partition_list_copy(parts);
    if (rd_kafka_committed(rk_, c, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_topic_partition_list_t* times = rd_kafka_topic_partition_list_new(c->cnt);
      for (int i = 0; i < c->cnt; ++i)
        if (c->elems[i].offset < 0)
          rd_kafka_topic_partition_list_add(times, c->elems[i].topic, c->elems[i].partition)
              ->offset = s_.starting_timestamp;
      rd_kafka_resp_err_t terr = times->cnt > 0 ? rd_kafka_offsets_for_times(rk_, times, 10000)
                                                : RD_KAFKA_RESP_ERR_NO_ERROR;
      if (terr) {
        // The partitions then start from the earliest offset (at-least-once:
        // too early rather than too late); the error is reported in stats.
        stats_.polling_errors++;
        std::lock_guard<std::mutex> g(stats_.mu);
        stats_.last_error = std::string("at_timestamp lookup: ") + rd_kafka_err2str(terr);
      } else if (times->cnt > 0) {
        for (int i = 0; i < times->cnt; ++i)
          for (int j = 0; j < parts->cnt; ++j)
            if (parts->elems[j].partition == times->elems[i].partition)
              parts->elems[j].offset =
                  times->elems[i].offset >= 0 ? times->elems[i].offset : RD_KAFKA_OFFSET_END;
      }
      rd_kafka_topic_partition_list_destroy(times);
    }
    rd_kafka_topic_partition_list_destroy(c);
  }
  for (int i = 0; i < parts->cnt; ++i) {
    const int32_t id = parts->elems[i].partition;
    if (static_cast<size_t>(id) >= parts_.size()) parts_.resize(id + 1);
    if (parts_[id]) continue;
    parts_[id] = std::make_unique<PartitionState>();
    parts_[id]->partition = id;
    assigned_.push_back(parts_[id].get());
  }
  for (int32_t id : resumed_) {
    for (int i = 0; i < parts->cnt; ++i)
      if (parts->elems[i].partition == id && parts_[id]) {
        parts_[id]->safe_to = parts->elems[i].offset;
        parts_[id]->next_offset = parts->elems[i].offset;
        commit_dirty_ = true;
      }
  }
  resumed_.clear();
  stats_.assigned = static_cast<int64_t>(assigned_.size());
  rd_kafka_error_t* err = nullptr;
  if (cooperative_) {
    err = rd_kafka_incremental_assign(rk_, parts);
  } else {
    rd_kafka_assign(rk_, parts);
  }
  if (err) {
    stats_.polling_errors++;
    std::lock_guard<std::mutex> g(stats_.mu);
    stats_.last_error = std::string("assign: ") + rd_kafka_error_string(err);
    rd_kafka_error_destroy(err);
  }
}

// Withdraws batches that were queued for the host but not yet taken, so that
// they do not count as outstanding; -1 means every partition.
void Core::withdraw_queued(int32_t partition) {
  for (PartitionState* p : assigned_) {
    if (partition >= 0 && p->partition != partition) continue;
    if (!p->outstanding) continue;
    auto expected = DeliveryState::kQueued;
    if (p->inflight->state.compare_exchange_strong(expected, DeliveryState::kWithdrawn)) {
      p->outstanding = false;
      outstanding_--;
    }
  }
  stats_.inflight_batches = outstanding_;
}

void Core::release_partition(PartitionState& p) {
  settle_staged(p);
  while (!p.pending.empty()) {
    stats_.buffered_records--;
    stats_.buffered_bytes -= p.pending.front().payload;
    rd_kafka_message_destroy(p.pending.front().msg);
    p.pending.pop_front();
  }
  if (p.inflight) {
    unbuffer(*p.inflight);
    if (p.outstanding) {
      p.inflight->revoked.store(true);
      outstanding_--;
    }
    p.inflight.reset();
  }
  // A queue we detached stays detached for good (librdkafka then leaves its
  // forwarding alone, also on a later assignment), so it is always
  // re-attached before the partition goes; messages of the old assignment
  // that move over are dropped as outdated.
  release_hold(p);
  if (p.queue) {
    rd_kafka_queue_destroy(p.queue);
    p.queue = nullptr;
  }
  stats_.inflight_batches = outstanding_;
  std::lock_guard<std::mutex> g(stats_.mu);
  stats_.position.erase(p.partition);
}

// Partitions whose assignment was lost (their last commits may have been
// rejected) and that come back to this engine resume from what the host
// acknowledged, when that is ahead of the group's committed offset, and that
// position is committed; no acknowledged record is delivered twice then.
void Core::resume_lost_positions(rd_kafka_topic_partition_list_t* parts) {
  if (lost_positions_.empty()) return;
  rd_kafka_topic_partition_list_t* c = rd_kafka_topic_partition_list_copy(parts);
  const bool have_committed = rd_kafka_committed(rk_, c, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR;
  for (int i = 0; i < parts->cnt; ++i) {
    auto it = lost_positions_.find(parts->elems[i].partition);
    if (it == lost_positions_.end()) continue;
    // Without the committed offset, resuming from the acknowledged position
    // still delivers nothing acknowledged twice here, and loses nothing.
    const int64_t committed = have_committed ? c->elems[i].offset : -1;
    if (it->second > committed) {
      parts->elems[i].offset = it->second;
      resumed_.push_back(it->first);
    }
    lost_positions_.erase(it);
  }
  rd_kafka_topic_partition_list_destroy(c);
}

void Core::on_revoke(rd_kafka_topic_partition_list_t* parts, bool lost) {
  if (lost) {
    for (PartitionState* p : assigned_)
      for (int i = 0; i < parts->cnt; ++i)
        if (parts->elems[i].partition == p->partition && p->safe_to >= 0)
          lost_positions_[p->partition] = p->safe_to;
  } else if (cooperative_ && state() == State::kRunning) {
    rejoining_ = true;
    expect_assign_after_revoke_ = true;
    rejoin_since_ = Clock::now();
  }
  // Let batches of the revoked partitions that the host is working on finish
  // (bounded by revoke.timeout.ms), so their offsets are committed before the
  // partitions go to their next owner.
  auto revoked = [&](const PartitionState* p) {
    for (int i = 0; i < parts->cnt; ++i)
      if (parts->elems[i].partition == p->partition) return true;
    return false;
  };
  for (PartitionState* p : assigned_)
    if (revoked(p)) settle_staged(*p);
  for (int i = 0; i < parts->cnt; ++i) withdraw_queued(parts->elems[i].partition);
  if (!lost) {
    // While stopping, drain_for_stop() already waited its own deadline.
    const auto deadline =
        Clock::now() + (state() == State::kRunning ? s_.revoke_timeout : Clock::duration::zero());
    for (;;) {
      bool busy = false;
      for (PartitionState* p : assigned_) busy |= revoked(p) && p->outstanding;
      if (!busy || Clock::now() >= deadline) break;
      Completion c;
      if (completions_.wait_dequeue_timed(c, std::chrono::milliseconds(10))) {
        process_completion(c, Clock::now());
        c.data.reset();
      }
    }
    commit_deadline_ = deadline;
    flush_commits(true);
  }
  std::vector<PartitionState*> keep;
  for (PartitionState* p : assigned_) {
    if (revoked(p)) {
      release_partition(*p);
      parts_[p->partition].reset();
    } else {
      keep.push_back(p);
    }
  }
  assigned_.swap(keep);
  stats_.assigned = static_cast<int64_t>(assigned_.size());
  rr_ = 0;
  if (cooperative_) {
    if (rd_kafka_error_t* err = rd_kafka_incremental_unassign(rk_, parts))
      rd_kafka_error_destroy(err);
  } else {
    rd_kafka_assign(rk_, nullptr);
  }
}

// librdkafka 2.0.x (Debian's) with the cooperative-sticky assignor asserts or
// crashes when a consumer that joined the group is destroyed before its first
// assignment arrived (upstream issue 4312, fixed in 2.3.0): its assignor state
// is still NULL. So a stop that comes mid-join first lets the join finish,
// serving the consumer queue for a bounded time. A consumer that never joined
// (no member id yet) is not affected.
void Core::await_first_assignment(Clock::time_point deadline) {
  if (assignments_seen_ > 0) return;
  deadline = std::max(deadline, Clock::now() + std::chrono::seconds(10));
  while (assignments_seen_ == 0 && Clock::now() < deadline) {
    char* member = rd_kafka_memberid(rk_);
    const bool joined = member && *member;
    if (member) rd_kafka_mem_free(rk_, member);
    if (!joined) return;
    if (rd_kafka_message_t* m = rd_kafka_consume_queue(cq_, 50)) rd_kafka_message_destroy(m);
  }
}

void Core::drain_for_stop() {
  state_.store(State::kDraining, std::memory_order_release);
  for (PartitionState* p : assigned_) settle_staged(*p);
  withdraw_queued(-1);
  const auto deadline = Clock::time_point(Clock::duration(stop_deadline_ns_.load()));
  for (;;) {
    auto now = Clock::now();
    drain_completions(now);
    if (outstanding_ == 0) break;
    if (now >= deadline) {
      stop_timed_out_.store(true);
      break;
    }
    Completion c;
    if (completions_.wait_dequeue_timed(c, std::chrono::milliseconds(10))) {
      process_completion(c, Clock::now());
      c.data.reset();
    }
  }
  commit_deadline_ = deadline;
  flush_commits(true);
  await_first_assignment(deadline);
  // Close leaves the group; its revoke callback finds nothing left to wait for.
  rd_kafka_consumer_close(rk_);
  for (PartitionState* p : assigned_) release_partition(*p);
  assigned_.clear();
  parts_.clear();
  stats_.assigned = 0;
  state_.store(State::kStopped, std::memory_order_release);
  signal_ready();  // wake pollers waiting on the fd
}

}  // namespace sluice::engine
