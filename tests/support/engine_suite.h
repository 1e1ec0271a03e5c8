// engine_suite.h: the engine's behaviour, as typed tests over a Backend (mock
// cluster or real broker). Included by tests/mock/engine_mock_test.cc and
// tests/kafka/engine_kafka_test.cc, which instantiate it.
#pragma once

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "support/backend.h"

namespace sluice::testing {

template <typename B>
class EngineSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    backend.set_up();
    if (HasFatalFailure()) return;
    topic = unique_name(std::string("sluice-") + B::kName + "-topic");
    group = unique_name("group");
  }
  void TearDown() override { backend.tear_down(); }

  std::map<std::string, std::string> base(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> m = {{"bootstrap.servers", backend.bootstrap()},
                                            {"topic", topic},
                                            {"group.id", group},
                                            {"starting.position", "trim_horizon"},
                                            {"batch.window.ms", "0"},
                                            {"retry.backoff.ms", "10"},
                                            {"kafka.session.timeout.ms", "6000"},
                                            {"kafka.heartbeat.interval.ms", "500"}};
    for (auto& [k, v] : extra) m[k] = v;
    return m;
  }
  EnginePtr start(const std::map<std::string, std::string>& settings) {
    ConfPtr conf = make_conf(settings);
    sluice_engine_t* e = nullptr;
    ErrorPtr err(sluice_engine_new(conf.get(), &e));
    EXPECT_EQ(err, nullptr) << sluice_error_message(err.get());
    return EnginePtr(e);
  }

  B backend;
  std::string topic, group;
};

TYPED_TEST_SUITE_P(EngineSuite);

// Every offset delivered exactly once when nothing fails, in order per
// partition, with batches of at most batch.size.
TYPED_TEST_P(EngineSuite, PullDeliversEveryRecordOnceInOrder) {
  this->backend.create_topic(this->topic, 4);
  produce_numbered(this->backend.bootstrap(), this->topic, 4, 300);
  auto e = this->start(this->base({{"batch.size", "40"}}));
  auto seen = pull_until(e.get(), 1200, 60000);
  std::map<int32_t, std::vector<int64_t>> per;
  for (const auto& b : seen) {
    EXPECT_LE(b.offsets.size(), 40u);
    EXPECT_FALSE(b.offsets.empty());
    for (size_t i = 0; i < b.offsets.size(); ++i) {
      per[b.partition].push_back(b.offsets[i]);
      EXPECT_EQ(b.values[i], "value-" + std::to_string(b.partition) + "-" +
                                 std::to_string(b.offsets[i]));
    }
  }
  ASSERT_EQ(per.size(), 4u);
  for (auto& [p, offs] : per) {
    ASSERT_EQ(offs.size(), 300u) << "partition " << p;
    for (size_t i = 0; i < offs.size(); ++i) EXPECT_EQ(offs[i], static_cast<int64_t>(i));
  }
  SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 10000));
}

// Push mode, 8 partitions, concurrency 4: per-partition order, never two
// batches of one partition at once, at most 4 handlers at once.
TYPED_TEST_P(EngineSuite, PushKeepsOrderWithConcurrency) {
  this->backend.create_topic(this->topic, 8);
  produce_numbered(this->backend.bootstrap(), this->topic, 8, 200);
  struct Shared {
    std::mutex mu;
    std::map<int32_t, std::vector<int64_t>> per;
    std::set<int32_t> busy;
    std::atomic<int> running{0}, max_running{0}, overlap{0};
    std::atomic<size_t> total{0};
  } sh;
  ConfPtr conf = make_conf(this->base({{"batch.size", "25"}, {"max.concurrency", "4"}}));
  SLUICE_ASSERT_OK(sluice_conf_set_handler(
      conf.get(),
      [](void* opaque, const sluice_batch_t* b) -> int32_t {
        auto* s = static_cast<Shared*>(opaque);
        int now = ++s->running;
        int prev = s->max_running.load();
        while (now > prev && !s->max_running.compare_exchange_weak(prev, now)) {
        }
        int32_t p = sluice_batch_partition(b);
        {
          std::lock_guard<std::mutex> g(s->mu);
          if (!s->busy.insert(p).second) s->overlap++;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        const sluice_record_t* r;
        uint64_t n;
        sluice_error_destroy(sluice_batch_records(b, &r, &n));
        {
          std::lock_guard<std::mutex> g(s->mu);
          for (uint64_t i = 0; i < n; ++i) s->per[p].push_back(r[i].offset);
          s->busy.erase(p);
        }
        s->total += n;
        --s->running;
        return 0;
      },
      &sh));
  sluice_engine_t* raw = nullptr;
  SLUICE_ASSERT_OK(sluice_engine_new(conf.get(), &raw));
  EnginePtr e(raw);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (sh.total < 1600 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 10000));
  EXPECT_EQ(sh.overlap.load(), 0);
  EXPECT_LE(sh.max_running.load(), 4);
  EXPECT_GE(sh.max_running.load(), 2) << "batches of different partitions should overlap";
  ASSERT_EQ(sh.per.size(), 8u);
  for (auto& [p, offs] : sh.per) {
    ASSERT_EQ(offs.size(), 200u) << "partition " << p;
    for (size_t i = 0; i < offs.size(); ++i) ASSERT_EQ(offs[i], static_cast<int64_t>(i));
  }
}

// A failed batch comes back: the same records, in the same order, flagged as a
// retry, before anything later of its partition.
TYPED_TEST_P(EngineSuite, FailedBatchIsOfferedAgainInOrder) {
  this->backend.create_topic(this->topic, 2);
  produce_numbered(this->backend.bootstrap(), this->topic, 2, 100);
  auto e = this->start(this->base({{"batch.size", "10"}}));
  // The batch that holds offset 50 fails 3 times on partition 0 and once on
  // partition 1 (where batches start depends on fetch timing).
  std::map<int32_t, int> fails_left = {{0, 3}, {1, 1}};
  std::map<int32_t, std::vector<int64_t>> acked, failed_batch;
  auto holds50 = [](const SeenBatch& b) {
    return b.offsets.front() <= 50 && b.offsets.back() >= 50;
  };
  auto seen = pull_until(e.get(), 200, 60000, [&](const SeenBatch& b) {
    if (holds50(b)) {
      const uint32_t failed_so_far = (b.partition == 0 ? 3 : 1) - fails_left[b.partition];
      EXPECT_EQ(b.attempt, failed_so_far);
      if (failed_so_far > 0) {
        EXPECT_EQ(b.offsets, failed_batch[b.partition]) << "a retry must be the same batch";
        EXPECT_TRUE(b.flags & SLUICE_BATCH_RETRY);
      }
      if (fails_left[b.partition] > 0) {
        failed_batch[b.partition] = b.offsets;
        fails_left[b.partition]--;
        return false;
      }
    }
    for (auto o : b.offsets) acked[b.partition].push_back(o);
    return true;
  });
  EXPECT_EQ(fails_left[0], 0);
  EXPECT_EQ(fails_left[1], 0);
  for (int32_t p = 0; p < 2; ++p) {
    ASSERT_EQ(acked[p].size(), 100u);
    for (size_t i = 0; i < 100; ++i) EXPECT_EQ(acked[p][i], static_cast<int64_t>(i));
  }
  SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 10000));
}

// Several host threads pull from one engine at once, acking as they go (an
// ack queues the partition's next batch from the acking thread): every
// record comes once, and each partition's batches come in order, one at a
// time, whichever thread takes them.
TYPED_TEST_P(EngineSuite, PullFromManyThreadsKeepsOrder) {
  this->backend.create_topic(this->topic, 4);
  produce_numbered(this->backend.bootstrap(), this->topic, 4, 300);
  auto e = this->start(this->base({{"batch.size", "10"}}));
  std::mutex mu;
  std::map<int32_t, std::vector<int64_t>> per;  // offsets in the order handed out
  std::set<int32_t> out;                         // partitions with a batch out
  int overlap = 0;
  std::atomic<size_t> total{0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto host = [&] {
    while (total < 1200 && std::chrono::steady_clock::now() < deadline) {
      sluice_batch_t* b = nullptr;
      ErrorPtr err(sluice_engine_poll(e.get(), 50, &b));
      if (!b) continue;
      BatchPtr bp(b);
      const SeenBatch s = copy_batch(b, false);
      {
        std::lock_guard<std::mutex> g(mu);
        if (!out.insert(s.partition).second) overlap++;
        per[s.partition].insert(per[s.partition].end(), s.offsets.begin(), s.offsets.end());
        out.erase(s.partition);  // before the ack, which may hand out the next
      }
      ErrorPtr ack(sluice_batch_ack(b));
      EXPECT_EQ(ack, nullptr);
      total += s.offsets.size();
    }
  };
  std::vector<std::thread> hosts;
  for (int i = 0; i < 4; ++i) hosts.emplace_back(host);
  for (auto& t : hosts) t.join();
  SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 10000));
  EXPECT_EQ(overlap, 0) << "two batches of one partition were out at once";
  ASSERT_EQ(per.size(), 4u);
  for (auto& [p, offs] : per) {
    ASSERT_EQ(offs.size(), 300u) << "partition " << p;
    for (size_t i = 0; i < offs.size(); ++i) ASSERT_EQ(offs[i], static_cast<int64_t>(i));
  }
}

// Stop commits what was acked and nothing else; a new engine in the group
// resumes right after the last acked batch.
TYPED_TEST_P(EngineSuite, RestartResumesAfterLastAck) {
  this->backend.create_topic(this->topic, 1);
  produce_numbered(this->backend.bootstrap(), this->topic, 1, 100);
  // batch.window.ms is 0 here, so a batch holds whatever had arrived when it
  // was cut: the number acked before the restart is whatever whole batches
  // reached 30, not exactly 30.
  size_t acked = 0;
  {
    auto e = this->start(this->base({{"batch.size", "10"}}));
    auto seen = pull_until(e.get(), 30, 60000);
    acked = record_count(seen);
    ASSERT_GE(acked, 30u);
    ASSERT_LT(acked, 100u) << "the test needs records left after the acked batches";
    // One more batch taken but not acked: it must come back after restart.
    sluice_batch_t* b = nullptr;
    for (int i = 0; i < 100 && !b; ++i) SLUICE_ASSERT_OK(sluice_engine_poll(e.get(), 100, &b));
    ASSERT_NE(b, nullptr);
    BatchPtr held(b);
    EXPECT_EQ(copy_batch(b, false).offsets.front(), static_cast<int64_t>(acked));
    ErrorPtr stop_err(sluice_engine_stop(e.get(), 200));
    ASSERT_NE(stop_err, nullptr) << "stop must report the unacknowledged batch";
    EXPECT_EQ(sluice_error_code(stop_err.get()), SLUICE_ERR_TIMEOUT);
    expect_error(sluice_batch_ack(b), SLUICE_ERR_STOPPED);
  }
  auto e2 = this->start(this->base({{"batch.size", "10"}}));
  auto seen = pull_until(e2.get(), 100 - acked, 60000);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().offsets.front(), static_cast<int64_t>(acked))
      << "resume right after the last acked batch";
  EXPECT_EQ(record_count(seen), 100 - acked);
  SLUICE_ASSERT_OK(sluice_engine_stop(e2.get(), 10000));
}

// The batching window holds a small batch back until it expires.
TYPED_TEST_P(EngineSuite, WindowHoldsBatchUntilItExpires) {
  this->backend.create_topic(this->topic, 1);
  auto e = this->start(this->base({{"batch.size", "1000"}, {"batch.window.ms", "1500"},
                                   {"starting.position", "trim_horizon"}}));
  produce_numbered(this->backend.bootstrap(), this->topic, 1, 5);
  auto t0 = std::chrono::steady_clock::now();
  auto seen = pull_until(e.get(), 5, 30000);
  auto waited = std::chrono::steady_clock::now() - t0;
  ASSERT_EQ(record_count(seen), 5u);
  EXPECT_EQ(seen.size(), 1u) << "the window should gather all five into one batch";
  EXPECT_GE(waited, std::chrono::milliseconds(1400));
  SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 10000));
}

// Batches are cut before their event passes batch.max.bytes; a record too big
// on its own is delivered alone and flagged.
TYPED_TEST_P(EngineSuite, EventSizeCut) {
  this->backend.create_topic(this->topic, 1);
  std::vector<TestRecord> rs;
  for (int i = 0; i < 20; ++i) rs.push_back(TestRecord{std::nullopt, std::string(3000, 'a' + i % 26), {}});
  rs.push_back(TestRecord{std::nullopt, std::string(20000, 'z'), {}});  // alone: > max
  for (int i = 0; i < 5; ++i) rs.push_back(TestRecord{std::nullopt, std::string(100, 'q'), {}});
  produce(this->backend.bootstrap(), this->topic, 0, rs);
  auto e = this->start(this->base({{"batch.size", "1000"}, {"batch.max.bytes", "10000"},
                                   {"batch.window.ms", "1000"}}));
  auto seen = pull_until(e.get(), rs.size(), 60000, {}, /*with_event=*/true);
  ASSERT_EQ(record_count(seen), rs.size());
  int oversized = 0;
  for (const auto& b : seen) {
    if (b.flags & SLUICE_BATCH_OVERSIZED) {
      ++oversized;
      EXPECT_EQ(b.offsets.size(), 1u);
      EXPECT_GT(b.event.size(), 10000u);
    } else {
      EXPECT_LE(b.event.size(), 10000u);
    }
  }
  EXPECT_EQ(oversized, 1);
  SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 10000));
}

// Filtered-out records never reach the host; their offsets are committed
// too, also for a trailing stretch that no batch follows.
TYPED_TEST_P(EngineSuite, FilteredRecordsAreCommittedNotDelivered) {
  this->backend.create_topic(this->topic, 1);
  std::vector<TestRecord> rs;
  for (int i = 0; i < 50; ++i)
    rs.push_back(TestRecord{std::nullopt,
                            std::string("{\"n\":") + std::to_string(i) + ",\"kind\":\"" +
                                (i % 5 == 0 && i < 30 ? "keep" : "drop") + "\"}",
                            {}});
  produce(this->backend.bootstrap(), this->topic, 0, rs);
  auto settings = this->base({{"filter.patterns", R"([{"value":{"kind":["keep"]}}])"}});
  {
    auto e = this->start(settings);
    auto seen = pull_until(e.get(), 6, 60000);
    ASSERT_EQ(record_count(seen), 6u);
    std::vector<int64_t> offs;
    for (auto& b : seen) offs.insert(offs.end(), b.offsets.begin(), b.offsets.end());
    EXPECT_EQ(offs, (std::vector<int64_t>{0, 5, 10, 15, 20, 25}));
    // Let the fetcher see the trailing filtered stretch, then stop (commits).
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const std::string s = engine_stats(e.get());
    EXPECT_EQ(stat_number(s, "FilteredOutEventCount"), 44) << s;
    SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 10000));
  }
  // A restart finds nothing left: every offset, filtered ones included, was committed.
  produce(this->backend.bootstrap(), this->topic, 0, {TestRecord{std::nullopt, R"({"kind":"keep"})", {}}});
  auto e2 = this->start(settings);
  auto seen = pull_until(e2.get(), 1, 60000);
  ASSERT_EQ(record_count(seen), 1u);
  EXPECT_EQ(seen[0].offsets[0], 50);
  SLUICE_ASSERT_OK(sluice_engine_stop(e2.get(), 10000));
}

// A filtered stretch right after batches that are formed ahead (staged while
// the partition's batch is out) is committed after them, never with the batch
// that is out: acking that batch must not commit the staged batches' records.
TYPED_TEST_P(EngineSuite, FilteredAfterStagedBatchesWaitsForThem) {
  this->backend.create_topic(this->topic, 1);
  std::vector<TestRecord> keep(200, TestRecord{std::nullopt, R"({"kind":"keep"})", {}});
  produce(this->backend.bootstrap(), this->topic, 0, keep);
  // A long window: batches form only when full, so 0-99 goes out, 100-199 is
  // staged, and nothing is pending when 200-204, produced then, are filtered.
  auto settings = this->base({{"filter.patterns", R"([{"value":{"kind":["keep"]}}])"},
                              {"batch.size", "100"},
                              {"batch.window.ms", "60000"}});
  {
    auto e = this->start(settings);
    sluice_batch_t* first = nullptr;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!first && std::chrono::steady_clock::now() < deadline)
      SLUICE_ASSERT_OK(sluice_engine_poll(e.get(), 200, &first));
    ASSERT_NE(first, nullptr);
    BatchPtr b1(first);
    ASSERT_EQ(copy_batch(first, false).offsets.front(), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // 100-199 staged by now
    std::vector<TestRecord> drop(5, TestRecord{std::nullopt, R"({"kind":"drop"})", {}});
    produce(this->backend.bootstrap(), this->topic, 0, drop);
    // Wait until the fetch thread has seen the filtered stretch.
    while (stat_number(engine_stats(e.get()), "FilteredOutEventCount") < 5 &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_EQ(stat_number(engine_stats(e.get()), "FilteredOutEventCount"), 5);
    SLUICE_ASSERT_OK(sluice_batch_ack(first));
    sluice_batch_t* second = nullptr;
    while (!second && std::chrono::steady_clock::now() < deadline)
      SLUICE_ASSERT_OK(sluice_engine_poll(e.get(), 200, &second));
    ASSERT_NE(second, nullptr);
    BatchPtr b2(second);
    EXPECT_EQ(copy_batch(second, false).offsets.front(), 100);
    // Not acked: the host "crashes" with it. Stop commits only what was acked.
    ErrorPtr stop(sluice_engine_stop(e.get(), 1000));
    EXPECT_NE(stop, nullptr);
  }
  // The restart starts over at the unacked batch, not after the filtered stretch.
  auto e2 = this->start(settings);
  auto seen = pull_until(e2.get(), 100, 60000);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().offsets.front(), 100);
  SLUICE_ASSERT_OK(sluice_engine_stop(e2.get(), 10000));
}

// Stopping an engine while it is still joining the group is safe (a
// librdkafka 2.0 bug crashed consumers destroyed before their first
// assignment; the engine waits that out), and quick.
TYPED_TEST_P(EngineSuite, StopWhileJoiningIsSafe) {
  this->backend.create_topic(this->topic, 2);
  for (int delay_ms : {0, 50, 300, 1000}) {
    auto e = this->start(this->base());
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    auto t0 = std::chrono::steady_clock::now();
    SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 5000));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(15));
  }
}

REGISTER_TYPED_TEST_SUITE_P(EngineSuite, PullDeliversEveryRecordOnceInOrder,
                            PushKeepsOrderWithConcurrency, PullFromManyThreadsKeepsOrder, FailedBatchIsOfferedAgainInOrder,
                            RestartResumesAfterLastAck, WindowHoldsBatchUntilItExpires,
                            EventSizeCut, FilteredRecordsAreCommittedNotDelivered,
                            FilteredAfterStagedBatchesWaitsForThem, StopWhileJoiningIsSafe);

// Group scale-out, back-pressure and at_timestamp run against the real broker
// only: librdkafka 2.0's mock cluster does not rebalance a group between
// members (a second member never gets partitions), does not answer
// offsets-for-times, and its small fetches make the back-pressure run take
// minutes under the sanitizers.
template <typename B>
class EngineScaleOut : public EngineSuite<B> {
 protected:
  // *held: the most partitions engine A was seen holding back (PausedPartitions).
  void two_engines_share_the_group(std::map<std::string, std::string> settings,
                                   int64_t* held = nullptr);
};
TYPED_TEST_SUITE_P(EngineScaleOut);

// Scale-out: a second engine joins the group mid-stream; partitions move
// (cooperative-sticky), in-flight batches of revoked partitions are committed
// before they go, and every record is delivered once, in order.
template <typename B>
void EngineScaleOut<B>::two_engines_share_the_group(std::map<std::string, std::string> settings,
                                                    int64_t* held) {
  this->backend.create_topic(this->topic, 4);
  produce_numbered(this->backend.bootstrap(), this->topic, 4, 400);
  if (const char* d = std::getenv("SLUICE_TEST_KAFKA_DEBUG")) settings["kafka.debug"] = d;
  struct Seen {
    std::mutex mu;
    std::map<int32_t, std::vector<int64_t>> per;  // acked offsets per partition
    size_t total = 0;
  } seen;
  std::atomic<bool> done{false};
  std::atomic<size_t> a_count{0}, b_count{0};
  std::atomic<int64_t> a_held{0};
  auto consume = [&](sluice_engine_t* e, std::atomic<size_t>* mine) {
    while (!done) {
      sluice_batch_t* b = nullptr;
      ErrorPtr err(sluice_engine_poll(e, 100, &b));
      if (mine == &a_count)
        a_held = std::max<int64_t>(a_held, stat_number(engine_stats(e), "PausedPartitions"));
      if (!b) continue;
      BatchPtr bp(b);
      SeenBatch s = copy_batch(b, false);
      // Slow until the second engine has taken partitions, so the run spans
      // the rebalance whatever the machine's speed.
      if (b_count == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ErrorPtr ack(sluice_batch_ack(b));
      if (ack) continue;  // revoked while we held it: the new owner gets it
      std::lock_guard<std::mutex> g(seen.mu);
      for (auto o : s.offsets) seen.per[s.partition].push_back(o);
      seen.total += s.offsets.size();
      *mine += s.offsets.size();
    }
  };
  auto a = this->start(settings);
  std::thread ta(consume, a.get(), &a_count);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (a_count < 200 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto b = this->start(settings);
  std::thread tb(consume, b.get(), &b_count);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard<std::mutex> g(seen.mu);
      size_t uniq = 0;
      for (auto& [p, offs] : seen.per) uniq += std::set<int64_t>(offs.begin(), offs.end()).size();
      if (uniq >= 1600) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  done = true;
  ta.join();
  tb.join();
  if (held) *held = a_held;
  SCOPED_TRACE("engine A: " + engine_stats(a.get()) + "\nengine B: " + engine_stats(b.get()));
  SLUICE_ASSERT_OK(sluice_engine_stop(a.get(), 10000));
  SLUICE_ASSERT_OK(sluice_engine_stop(b.get(), 10000));
  EXPECT_GT(b_count.load(), 0u) << "the second engine should have taken partitions";
  ASSERT_EQ(seen.per.size(), 4u);
  for (auto& [p, offs] : seen.per) {
    std::set<int64_t> uniq(offs.begin(), offs.end());
    EXPECT_EQ(uniq.size(), 400u) << "partition " << p;
    EXPECT_EQ(offs.size(), 400u) << "partition " << p << ": acked records delivered twice";
    EXPECT_TRUE(std::is_sorted(offs.begin(), offs.end())) << "partition " << p;
    if (offs.size() != 400u) {
      std::string dump;
      for (size_t i = 0; i < offs.size(); ++i)
        if (i == 0 || offs[i] != offs[i - 1] + 1) dump += " [" + std::to_string(i) + "]" + std::to_string(offs[i]);
      ADD_FAILURE() << "partition " << p << " discontinuities (index]offset):" << dump;
    }
  }
}

TYPED_TEST_P(EngineScaleOut, TwoEnginesShareTheGroup) {
  this->two_engines_share_the_group(this->base({{"batch.size", "10"}}));
}

// The same with a bound so small that the first engine holds back its
// partitions (their librdkafka queues detached) when the second one joins:
// revoked partitions are re-attached, and nothing is lost or delivered twice.
TYPED_TEST_P(EngineScaleOut, TwoEnginesShareTheGroupWhileHeld) {
  int64_t held = 0;
  this->two_engines_share_the_group(
      this->base({{"batch.size", "10"}, {"max.inflight.records", "30"}}), &held);
  EXPECT_GE(held, 1) << "engine A never held a partition back";
}

// Back-pressure: with a small in-flight bound and a slow host, fetching
// pauses (memory stays bounded) and resumes; nothing is lost or reordered.
TYPED_TEST_P(EngineScaleOut, BackPressurePausesAndResumes) {
  this->backend.create_topic(this->topic, 2);
  // 1 KB values in producer batches of 10: Kafka hands out whole batches, so
  // their size is the granularity of the bound.
  {
    sluice_producer_t* p = nullptr;
    SLUICE_ASSERT_OK(sluice_producer_new(this->backend.bootstrap().c_str(), &p));
    for (int i = 0; i < 500; ++i) {
      for (int32_t part = 0; part < 2; ++part) {
        std::string v = "value-" + std::to_string(part) + "-" + std::to_string(i);
        v.resize(1000, 'x');
        SLUICE_ASSERT_OK(sluice_producer_send(p, this->topic.c_str(), part, nullptr, 0,
                                              reinterpret_cast<const uint8_t*>(v.data()),
                                              static_cast<uint32_t>(v.size()), nullptr, 0, 0));
      }
      if (i % 10 == 9) SLUICE_ASSERT_OK(sluice_producer_flush(p, 10000));
    }
    sluice_producer_destroy(p);
  }
  auto e = this->start(this->base({{"batch.size", "10"},
                                   {"max.inflight.records", "40"},
                                   {"kafka.max.partition.fetch.bytes", "1024"},
                                   {"kafka.queued.max.messages.kbytes", "16"}}));
  int64_t max_buffered = 0, paused_seen = 0;
  std::map<int32_t, std::vector<int64_t>> per;
  size_t got = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (got < 1000 && std::chrono::steady_clock::now() < deadline) {
    sluice_batch_t* b = nullptr;
    SLUICE_ASSERT_OK(sluice_engine_poll(e.get(), 100, &b));
    const std::string s = engine_stats(e.get());
    max_buffered = std::max(max_buffered, stat_number(s, "BufferedRecords"));
    paused_seen = std::max(paused_seen, stat_number(s, "PausedPartitions"));
    if (!b) continue;
    BatchPtr bp(b);
    SeenBatch sb = copy_batch(b, false);
    if (got < 300) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // slow host
    SLUICE_ASSERT_OK(sluice_batch_ack(b));
    for (auto o : sb.offsets) per[sb.partition].push_back(o);
    got += sb.offsets.size();
  }
  EXPECT_GE(paused_seen, 1) << "fetching never paused";
  // The bound is max.inflight.records plus what librdkafka had prefetched
  // (16 KB here) and one producer batch per partition when the pause lands.
  EXPECT_LE(max_buffered, 40 + 100) << "buffered records ran far past the bound";
  ASSERT_EQ(per.size(), 2u);
  for (auto& [p, offs] : per) {
    ASSERT_EQ(offs.size(), 500u);
    for (size_t i = 0; i < offs.size(); ++i) EXPECT_EQ(offs[i], static_cast<int64_t>(i));
  }
  SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 10000));
}

// starting.position=at_timestamp starts at the first record at or after it.
TYPED_TEST_P(EngineScaleOut, StartsAtTimestamp) {
  this->backend.create_topic(this->topic, 1);
  sluice_producer_t* p = nullptr;
  SLUICE_ASSERT_OK(sluice_producer_new(this->backend.bootstrap().c_str(), &p));
  const int64_t t0 = 1700000000000;
  for (int i = 0; i < 10; ++i) {
    std::string v = "v" + std::to_string(i);
    SLUICE_ASSERT_OK(sluice_producer_send(p, this->topic.c_str(), 0, nullptr, 0,
                                          reinterpret_cast<const uint8_t*>(v.data()),
                                          static_cast<uint32_t>(v.size()), nullptr, 0,
                                          t0 + i * 1000));
  }
  SLUICE_ASSERT_OK(sluice_producer_flush(p, 10000));
  sluice_producer_destroy(p);
  auto e = this->start(this->base({{"starting.position", "at_timestamp"},
                                   {"starting.position.timestamp", std::to_string(t0 + 6500)}}));
  auto seen = pull_until(e.get(), 3, 30000);
  ASSERT_EQ(record_count(seen), 3u);
  EXPECT_EQ(seen.front().offsets.front(), 7);
  EXPECT_EQ(seen.front().values.front(), "v7");
  SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 10000));
}

REGISTER_TYPED_TEST_SUITE_P(EngineScaleOut, TwoEnginesShareTheGroup,
                            TwoEnginesShareTheGroupWhileHeld, BackPressurePausesAndResumes,
                            StartsAtTimestamp);

}  // namespace sluice::testing
