// core.h: the engine's shared state and its threads.
//
// Threads (see docs/ARCHITECTURE.md):
// - librdkafka's own threads (brokers, main): fetch into the consumer queue.
// - the fetch thread (run()): the only thread that polls the consumer, runs the
//   rebalance and commit callbacks, filters, assembles batches, decides what may
//   be handed out, and commits. All PartitionState lives here.
// - host threads (pull mode: whoever calls poll/ack) or the engine's worker
//   threads (push mode: "max.concurrency" of them, calling the handler).
//
// Queues, each with one producer side and one consumer side:
// - ready_:       fetch thread -> host/worker threads (batches to process)
// - completions_: host/worker threads -> fetch thread (acks and fails)
// - retired_:     fetch thread -> whichever thread is idle (acked batches to
//                 free; see Core::reap)
#pragma once

#include <blockingconcurrentqueue.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/config/config.h"
#include "core/engine/batch.h"
#include "core/engine/partition.h"
#include "core/engine/stats.h"
#include "core/event/event_writer.h"
#include "core/util/status.h"

namespace sluice::filter {
class Filter;
class Matcher;
}  // namespace sluice::filter

namespace sluice::engine {

enum class State : int { kRunning, kDraining, kStopped };

// A consumer blocked on an empty queue spins only briefly before it sleeps
// (moodycamel's default is 10,000 spins): the threads it would wait for (the
// fetch thread, librdkafka's) need the cores more, and there may be only two.
struct QueueTraits : moodycamel::ConcurrentQueueDefaultTraits {
  static const int MAX_SEMA_SPINS = 100;
};
template <typename T>
using Queue = moodycamel::BlockingConcurrentQueue<T, QueueTraits>;

struct Settings {
  std::string topic;
  int64_t batch_size = 100;
  Clock::duration window{};
  uint64_t max_bytes = 6291456;
  int64_t max_concurrency = 16;
  int64_t max_inflight_records = 0;
  int64_t max_inflight_bytes = 0;
  Clock::duration backoff{}, backoff_max{}, revoke_timeout{}, commit_interval{};
  std::string starting_position;
  int64_t starting_timestamp = 0;
  sluice_handler_fn handler = nullptr;
  void* handler_opaque = nullptr;
};

struct Completion {
  std::shared_ptr<BatchData> data;
  uint64_t generation = 0;
  bool ok = false;
};

class Core : public std::enable_shared_from_this<Core> {
 public:
  Core(Settings s, event::EventWriter writer, std::shared_ptr<const filter::Filter> filter);
  ~Core();

  Status start(const config::Config& cfg);  // creates the consumer, subscribes, starts threads
  Status stop(Clock::duration timeout);     // from a host thread
  Status poll(int32_t timeout_ms, sluice_batch** out);
  // Ack/fail from any thread. With `next`, a staged successor the ack releases
  // is handed over there, already delivered, instead of being queued.
  Status complete(sluice_batch* b, bool ok, sluice_batch** next = nullptr);
  std::string stats_json() const;
  // Turns on the fd's signalling (off until someone asks: two syscalls per
  // batch that nobody would read).
  int wakeup_fd();
  State state() const { return state_.load(std::memory_order_acquire); }
  // True on one of this engine's push-mode worker threads.
  bool on_worker_thread() const;
  const Settings& settings() const { return s_; }
  const event::EventWriter& writer() const { return writer_; }
  const std::string& topic() const { return s_.topic; }

 private:
  friend struct Callbacks;
  // fetch thread
  void run();
  void handle_message(rd_kafka_message_t* m, Clock::time_point now);
  void process_completion(Completion& c, Clock::time_point now);
  int drain_completions(Clock::time_point now);
  void dispatch(Clock::time_point now);
  void dispatch_one(PartitionState& p, Clock::time_point now);
  std::shared_ptr<BatchData> form_batch(PartitionState& p);
  void enqueue(PartitionState& p, Clock::time_point now);
  sluice_batch* make_handle(const std::shared_ptr<BatchData>& d);
  bool full_batch_pending(const PartitionState& p) const;
  void stage(PartitionState& p);
  void ack_inflight(PartitionState& p);
  void unbuffer(const BatchData& b);
  void settle_staged(PartitionState& p);
  void flush_commits(bool sync);
  rd_kafka_resp_err_t commit_bounded(rd_kafka_topic_partition_list_t* list);
  void apply_backpressure();
  void release_hold(PartitionState& p);
  Clock::time_point next_deadline(Clock::time_point now) const;
  void on_assign(rd_kafka_topic_partition_list_t* parts);
  void on_revoke(rd_kafka_topic_partition_list_t* parts, bool lost);
  void resume_lost_positions(rd_kafka_topic_partition_list_t* parts);
  void drain_for_stop();
  void await_first_assignment(Clock::time_point deadline);
  void withdraw_queued(int32_t partition_or_all);
  void release_partition(PartitionState& p);
  PartitionState* find(int32_t partition);
  void publish_position(const PartitionState& p);
  // Frees up to `max` retired batches; any thread, when it would otherwise wait.
  size_t reap(size_t max);
  // worker threads (push mode)
  void work();
  void signal_ready();
  void queue_handle(sluice_batch* h);

  Settings s_;
  event::EventWriter writer_;
  std::shared_ptr<const filter::Filter> filter_;
  std::unique_ptr<filter::Matcher> matcher_;  // fetch thread only
  size_t topic_json_len_ = 0;  // the topic's escaped length, for record_size

  rd_kafka_t* rk_ = nullptr;
  rd_kafka_queue_t* cq_ = nullptr;
  bool cooperative_ = true;
  int efd_ = -1;
  std::atomic<bool> fd_wanted_{false};
  std::atomic<bool> fd_signalled_{false};  // efd_ may be readable

  Queue<sluice_batch*> ready_;
  Queue<Completion> completions_;
  // Acked batches, freed (their librdkafka messages destroyed) by whichever
  // side is idle: a host or worker about to wait for a batch, or the fetch
  // thread about to wait for messages, or it when too many pile up. Freeing
  // ~100 messages per batch on the fetch thread alone made it the bottleneck.
  moodycamel::ConcurrentQueue<std::shared_ptr<BatchData>> retired_;
  std::atomic<State> state_{State::kRunning};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> fetch_waiting_{false};  // the fetch thread is (about to be) in consume_queue
  std::atomic<int64_t> stop_deadline_ns_{0};
  std::atomic<bool> stop_timed_out_{false};

  // fetch thread only
  std::vector<std::unique_ptr<PartitionState>> parts_;  // indexed by partition
  std::vector<PartitionState*> assigned_;
  int64_t outstanding_ = 0;  // batches queued or delivered
  size_t rr_ = 0;            // round-robin start for dispatch fairness
  bool commit_dirty_ = false;
  Clock::time_point last_commit_{};
  Clock::time_point commit_deadline_{};  // bound for the next synchronous commit
  int64_t assignments_seen_ = 0;
  // Cooperative rebalances: from a revoke until the next generation's
  // assignment the member is rejoining, and librdkafka 2.0 turns a commit
  // rejected in that window into a lost assignment. Async commits wait.
  bool rejoining_ = false;
  bool expect_assign_after_revoke_ = false;
  Clock::time_point rejoin_since_{};
  // Acknowledged positions of partitions whose assignment was lost, to resume
  // from if they come back to this engine (see on_assign).
  std::map<int32_t, int64_t> lost_positions_;
  std::vector<int32_t> resumed_;  // scratch for on_assign
  std::vector<rd_kafka_message_t*> msgbuf_;
  std::vector<sluice_header_t> hdr_scratch_;

  mutable Stats stats_;
  std::thread fetch_thread_;
  std::vector<std::thread> workers_;
};

}  // namespace sluice::engine
