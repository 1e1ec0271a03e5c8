// core.cc: engine lifecycle, the consumer's set-up and callbacks, and the host
// side (poll, ack/fail, stats, push-mode workers). The fetch loop is in fetcher.cc.
#include "core/engine/core.h"

#include <mimalloc.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "core/filter/matcher.h"

namespace sluice::engine {

namespace {
// Names show in top -H, perf and debuggers (at most 15 characters).
void name_this_thread(const char* name) { pthread_setname_np(pthread_self(), name); }
}  // namespace

BatchData::~BatchData() {
  for (auto* m : msgs) rd_kafka_message_destroy(m);
  batch_free(event);
}

// librdkafka's C callbacks, trampolined to the Core they were registered with.
struct Callbacks {
  static void rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                        rd_kafka_topic_partition_list_t* parts, void* opaque) {
    auto* core = static_cast<Core*>(opaque);
    core->stats_.rebalances++;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      core->on_assign(parts);
    } else {
      core->on_revoke(parts, rd_kafka_assignment_lost(rk));
    }
  }
  static void commit(rd_kafka_t*, rd_kafka_resp_err_t err,
                     rd_kafka_topic_partition_list_t* offsets, void* opaque) {
    auto* core = static_cast<Core*>(opaque);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
    core->stats_.commit_errors++;
    {
      std::lock_guard<std::mutex> g(core->stats_.mu);
      core->stats_.last_error = std::string("commit: ") + rd_kafka_err2str(err);
    }
    // Ask for these offsets again with the next commit (at-least-once: a lost
    // commit only means redelivery, but we'd rather not).
    for (int i = 0; offsets && i < offsets->cnt; ++i)
      if (PartitionState* p = core->find(offsets->elems[i].partition)) {
        p->committed = -1;
        core->commit_dirty_ = true;
      }
  }
  static void error(rd_kafka_t*, int err, const char* reason, void* opaque) {
    auto* core = static_cast<Core*>(opaque);
    core->stats_.polling_errors++;
    std::lock_guard<std::mutex> g(core->stats_.mu);
    core->stats_.last_error = std::string(rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err))) +
                              ": " + reason;
  }
};

Core::Core(Settings s, event::EventWriter writer, std::shared_ptr<const filter::Filter> filter)
    : s_(std::move(s)), writer_(std::move(writer)), filter_(std::move(filter)) {
  if (filter_) matcher_ = std::make_unique<filter::Matcher>(filter_);
  topic_json_len_ = event::EventWriter::escaped_topic_size(s_.topic);
  msgbuf_.resize(4096);
}

Core::~Core() {
  if (cq_) rd_kafka_queue_destroy(cq_);
  if (rk_) rd_kafka_destroy(rk_);
  if (efd_ >= 0) ::close(efd_);
}

Status Core::start(const config::Config& cfg) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  auto set = [&](const std::string& k, const std::string& v) -> Status {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
      return make_error(SLUICE_ERR_INVALID_VALUE, "librdkafka rejected " + k + ": " + err,
                        "kafka." + k);
    return {};
  };
  const std::string pos = s_.starting_position;
  std::vector<std::pair<std::string, std::string>> settings = {
      {"bootstrap.servers", cfg.get_string("bootstrap.servers")},
      {"group.id", cfg.get_string("group.id")},
      {"client.id", "sluice"},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "false"},
      {"partition.assignment.strategy", "cooperative-sticky"},
      {"auto.offset.reset", pos == "latest" ? "latest" : "earliest"},
      // All partitions feed one consumer queue, so librdkafka's per-queue
      // prefetch floor (default 100,000 messages) would throttle fetching for
      // the engine's whole backlog (measured: fetch stalls of ~0.6 s). sluice
      // bounds memory itself (max.inflight.*, queued.max.messages.kbytes).
      {"queued.min.messages", "1000000"},
  };
  for (const auto& kv : cfg.kafka()) settings.push_back(kv);  // user settings win
  for (const auto& [k, v] : settings) {
    if (auto st = set(k, v); !st.ok()) {
      rd_kafka_conf_destroy(conf);
      return st;
    }
  }
  rd_kafka_conf_set_opaque(conf, this);
  rd_kafka_conf_set_rebalance_cb(conf, &Callbacks::rebalance);
  rd_kafka_conf_set_offset_commit_cb(conf, &Callbacks::commit);
  rd_kafka_conf_set_error_cb(conf, &Callbacks::error);

  rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!rk_) {
    rd_kafka_conf_destroy(conf);
    return make_error(SLUICE_ERR_KAFKA, std::string("cannot create consumer: ") + err);
  }
  rd_kafka_poll_set_consumer(rk_);  // callbacks are served where we consume
  cq_ = rd_kafka_queue_get_consumer(rk_);
  cooperative_ = std::string(rd_kafka_rebalance_protocol(rk_) ? rd_kafka_rebalance_protocol(rk_) : "") != "EAGER";

  efd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (efd_ < 0) return make_error(SLUICE_ERR_IO, std::string("eventfd: ") + std::strerror(errno));

  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, s_.topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t e = rd_kafka_subscribe(rk_, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (e) return make_error(SLUICE_ERR_KAFKA, std::string("subscribe: ") + rd_kafka_err2str(e));

  fetch_thread_ = std::thread([this] {
    name_this_thread("sluice:fetch");
    run();
  });
  if (s_.handler)
    for (int64_t i = 0; i < s_.max_concurrency; ++i)
      workers_.emplace_back([this] {
        name_this_thread("sluice:worker");
        work();
      });
  return {};
}

Status Core::stop(Clock::duration timeout) {
  if (!fetch_thread_.joinable()) return {};
  stop_deadline_ns_.store((Clock::now() + timeout).time_since_epoch().count());
  stop_requested_.store(true, std::memory_order_release);
  rd_kafka_queue_yield(cq_);
  fetch_thread_.join();
  for (auto& w : workers_) w.join();
  workers_.clear();
  // Nothing may keep BatchData (and through it this Core) alive from inside.
  sluice_batch* b;
  while (ready_.try_dequeue(b)) free_handle(b);
  Completion c;
  while (completions_.try_dequeue(c)) c.data.reset();
  reap(SIZE_MAX);
  if (stop_timed_out_.load())
    return make_error(SLUICE_ERR_TIMEOUT,
                      "stopped with batches still unacknowledged; they were not committed and "
                      "will be delivered again");
  return {};
}

void Core::queue_handle(sluice_batch* h) {
  h->data->state.store(DeliveryState::kQueued, std::memory_order_release);
  ready_.enqueue(h);
  signal_ready();
}

void Core::signal_ready() {
  if (s_.handler && state() != State::kStopped) return;  // push mode: no one reads the fd
  if (!fd_wanted_.load(std::memory_order_acquire)) return;
  if (fd_signalled_.exchange(true)) return;  // already readable
  uint64_t one = 1;
  ssize_t r = ::write(efd_, &one, sizeof one);
  (void)r;  // EAGAIN means the counter is already non-zero: still readable
}

int Core::wakeup_fd() {
  if (!fd_wanted_.exchange(true) && (ready_.size_approx() > 0 || state() == State::kStopped))
    signal_ready();  // batches (or the stop) came before the fd was asked for
  return efd_;
}

Status Core::poll(int32_t timeout_ms, sluice_batch** out) {
  if (s_.handler)
    return make_error(SLUICE_ERR_INVALID_STATE,
                      "sluice_engine_poll: this engine is in push mode (a handler is set)");
  const auto deadline = timeout_ms < 0 ? Clock::time_point::max()
                                       : Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (state() == State::kStopped)
      return make_error(SLUICE_ERR_STOPPED, "the engine is stopped");
    sluice_batch* b = nullptr;
    bool got = ready_.try_dequeue(b);
    if (!got && reap(SIZE_MAX) > 0) got = ready_.try_dequeue(b);
    if (!got && fd_wanted_.load(std::memory_order_acquire)) {
      // Nothing ready: clear the fd, then look once more. Flag first, then
      // the fd: a batch queued meanwhile either is found by that look or
      // writes the fd again; a race leaves the fd readable (a spurious
      // wake-up), never a batch without one. While batches keep coming the
      // fd simply stays readable: no syscall per batch.
      fd_signalled_.store(false);
      uint64_t drained;
      ssize_t r = ::read(efd_, &drained, sizeof drained);
      (void)r;
      got = ready_.try_dequeue(b);
    }
    if (!got) {
      auto now = Clock::now();
      if (now >= deadline) {
        *out = nullptr;
        return {};
      }
      // Wait in slices so a stop() is noticed even with timeout -1.
      auto slice = std::min<Clock::duration>(deadline - now, std::chrono::milliseconds(100));
      got = ready_.wait_dequeue_timed(
          b, std::chrono::duration_cast<std::chrono::microseconds>(slice).count());
      if (!got) continue;
    }
    auto expected = DeliveryState::kQueued;
    if (!b->data->state.compare_exchange_strong(expected, DeliveryState::kDelivered)) {
      free_handle(b);  // withdrawn (partition revoked or engine stopping)
      continue;
    }
    if (ready_.size_approx() > 0) signal_ready();  // keep the fd readable
    *out = b;
    return {};
  }
}

Status Core::complete(sluice_batch* b, bool ok, sluice_batch** next_out) {
  if (b->done.exchange(true))
    return make_error(SLUICE_ERR_ALREADY_COMPLETED, "this batch was already acked or failed");
  if (state() == State::kStopped)
    return make_error(SLUICE_ERR_STOPPED,
                      "the engine is stopped; the batch was not committed and will be delivered "
                      "again");
  if (b->data->revoked.load())
    return make_error(SLUICE_ERR_REVOKED,
                      "the batch's partition was reassigned; it was not committed and will be "
                      "delivered to the new owner");
  // The partition's next batch, if the fetch thread staged it: released here,
  // by the ack, rather than after a round trip through the fetch thread. Not
  // while stopping: the fetch thread then takes staged batches back. The
  // fetch thread must take this completion soon (urgent) unless another
  // staged batch follows the one released here.
  bool urgent = true;
  if (ok && state() == State::kRunning)
    if (sluice_batch* next = b->data->successor.exchange(nullptr, std::memory_order_acq_rel)) {
      urgent = next->data->successor.load(std::memory_order_acquire) == nullptr;
      if (next_out) {
        next->data->state.store(DeliveryState::kDelivered, std::memory_order_release);
        *next_out = next;
      } else {
        queue_handle(next);
      }
    }
  completions_.enqueue(Completion{b->data, b->generation, ok});
  // Wake the fetch thread only if it is waiting for messages (see run()) and
  // the completion is urgent: a yield takes the consumer queue's lock, which
  // librdkafka's threads share, and a wake-up costs both cores time. Others
  // wait for its next wake-up (at most 100 ms; an urgent one, messages).
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (urgent && fetch_waiting_.load(std::memory_order_relaxed)) rd_kafka_queue_yield(cq_);
  return {};
}

size_t Core::reap(size_t max) {
  std::shared_ptr<BatchData> d[16];
  size_t n = 0;
  while (n < max) {
    const size_t got = retired_.try_dequeue_bulk(d, std::min<size_t>(16, max - n));
    if (!got) break;
    for (size_t i = 0; i < got; ++i) d[i].reset();
    n += got;
  }
  return n;
}

namespace {
thread_local const Core* current_worker_of = nullptr;
}  // namespace

bool Core::on_worker_thread() const { return current_worker_of == this; }

void Core::work() {
  current_worker_of = this;
  sluice_batch* b = nullptr;  // set: a batch the last ack handed over, already delivered
  for (;;) {
    if (!b) {
      if (!ready_.try_dequeue(b)) reap(SIZE_MAX);
      if (!b && !ready_.wait_dequeue_timed(b, 100000)) {
        if (state() == State::kStopped) return;
        continue;
      }
      auto expected = DeliveryState::kQueued;
      if (!b->data->state.compare_exchange_strong(expected, DeliveryState::kDelivered)) {
        free_handle(b);
        b = nullptr;
        continue;
      }
    }
    b->borrowed = true;
    int32_t rc = 1;
    try {
      rc = s_.handler(s_.handler_opaque, b);
    } catch (...) {
      rc = 1;  // a C++ handler that throws fails its batch; nothing escapes
    }
    b->borrowed = false;
    // The partition's next batch, if the ack releases one, runs on this same
    // worker: no queue, no other worker woken for it.
    sluice_batch* next = nullptr;
    (void)complete(b, rc == 0, &next).ok();
    free_handle(b);
    b = next;
  }
}

std::string Core::stats_json() const {
  std::string o = "{";
  auto num = [&](const char* k, int64_t v) {
    o += '"';
    o += k;
    o += "\":";
    o += std::to_string(v);
    o += ',';
  };
  num("PolledEventCount", stats_.polled);
  num("FilteredOutEventCount", stats_.filtered_out);
  num("InvokedEventCount", stats_.invoked);
  num("FailedInvokeEventCount", stats_.failed_invoke);
  num("CommittedEventCount", stats_.committed);
  num("CommitErrorCount", stats_.commit_errors);
  num("PollingErrorCount", stats_.polling_errors);
  num("Batches", stats_.batches);
  num("AckedBatches", stats_.acked);
  num("OversizedBatches", stats_.oversized);
  num("InFlightBatches", stats_.inflight_batches);
  num("BufferedRecords", stats_.buffered_records);
  num("BufferedBytes", stats_.buffered_bytes);
  num("AssignedPartitions", stats_.assigned);
  num("PausedPartitions", stats_.paused);
  num("Rebalances", stats_.rebalances);
  int64_t max_lag = 0, sum_lag = 0;
  std::string lag = "{";
  std::string last_error;
  {
    std::lock_guard<std::mutex> g(stats_.mu);
    for (const auto& [part, pos] : stats_.position) {
      int64_t lo = -1, hi = -1, l = 0;
      if (rk_ && rd_kafka_get_watermark_offsets(rk_, s_.topic.c_str(), part, &lo, &hi) == 0 &&
          hi >= 0 && pos >= 0)
        l = std::max<int64_t>(0, hi - pos);
      max_lag = std::max(max_lag, l);
      sum_lag += l;
      if (lag.size() > 1) lag += ',';
      lag += '"' + s_.topic + '-' + std::to_string(part) + "\":" + std::to_string(l);
    }
    last_error = stats_.last_error;
  }
  lag += '}';
  num("MaxOffsetLag", max_lag);
  num("SumOffsetLag", sum_lag);
  o += "\"OffsetLag\":" + lag + ",\"LastError\":\"";
  for (char c : last_error) {
    if (c == '"' || c == '\\') o += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) o += c;
  }
  o += "\"}";
  return o;
}

}  // namespace sluice::engine
