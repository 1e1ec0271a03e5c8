// e2e_benchmark.cc: sluice end to end against a real broker, next to a plain
// librdkafka consumer reading the same topic (in the spirit of librdkafka's
// examples/rdkafka_performance.c).
//
//   sluice_e2e_bench --bootstrap ADDR [--records N] [--value-size B] [--partitions P]
//                    [--batch-sizes 100,1000] [--repeat R] [--topic T] [--no-produce]
//                    [--latency-seconds S] [--latency-rate R] [--modes raw,pull,push,event]
//                    [--set KEY=VALUE]...
//
// Phases, each in a forked child so that peak RSS is per phase and no
// librdkafka thread crosses a fork:
//   produce   N records (raw librdkafka producer, CREATE_TIME = produce time)
//   raw       librdkafka consumer: assign all partitions at the beginning,
//             rd_kafka_consume_queue (wait for one) + rd_kafka_consume_batch_queue
//             (the rest, no wait), count, nothing else
//   pull      sluice pull mode: sluice_engine_poll + sluice_batch_ack, no-op
//   push      sluice push mode: a no-op handler
//   pull+event  pull mode, sluice_batch_event() on every batch (encode cost)
//   live      (with --latency-seconds) produce at a fixed rate while raw and
//             sluice push consume from the end: produce-to-handler latency
//             without a backlog
// Every consuming phase reads the whole topic from the beginning with a fresh
// group (starting.position trim_horizon), batch.window.ms 0.
// --repeat R runs R rounds: raw, every sluice phase once (in reverse order
// every other round), raw again. The summary compares each sluice run with
// the mean of its round's two raw runs and reports the median ratio and its
// range (raw alone varies by +-20% between runs on a small VM, so ratios
// against one raw run mislead).
#include <librdkafka/rdkafka.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "sluice.h"
#include "sluice_mock.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string bootstrap;
  std::string topic;
  int64_t records = 1000000;
  int64_t value_size = 100;
  int64_t key_size = 10;
  int32_t partitions = 4;
  std::vector<int> batch_sizes = {100, 1000};
  int repeat = 1;
  bool produce = true;
  int64_t timeout_s = 600;
  int64_t latency_seconds = 0;
  int64_t latency_rate = 20000;
  std::string modes = "raw,pull,push,event";  // which backlog phases run
  std::vector<std::pair<std::string, std::string>> kafka;  // --set kafka.x=y, both clients
  std::vector<std::pair<std::string, std::string>> sluice_set;  // other --set keys, sluice only
};

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "sluice_e2e_bench: %s\n", msg.c_str());
  std::exit(1);
}

int64_t wall_ms() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

double secs(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string fmt_count(double v) {
  std::string digits = std::to_string(static_cast<long long>(v + 0.5));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// ---- latency: milliseconds from the record's CREATE_TIME to when the host
// sees it; a histogram with 1 ms buckets (the timestamp's resolution), calloc'd
// so untouched buckets cost no RSS. Updated with relaxed atomics (push mode
// handlers run on several threads).
class Latency {
 public:
  static constexpr int64_t kBuckets = 600 * 1000;  // ten minutes, 2.4 MB
  Latency() : h_(static_cast<uint32_t*>(std::calloc(kBuckets, sizeof(uint32_t)))) {
    if (!h_) die("out of memory");
  }
  ~Latency() { std::free(h_); }
  void add(int64_t ms) {
    ms = std::clamp<int64_t>(ms, 0, kBuckets - 1);
    __atomic_fetch_add(&h_[ms], 1u, __ATOMIC_RELAXED);
  }
  // The smallest bucket with at least q of the samples at or below it.
  int64_t quantile(double q) const {
    uint64_t total = 0;
    for (int64_t i = 0; i < kBuckets; ++i) total += h_[i];
    if (!total) return -1;
    uint64_t want = static_cast<uint64_t>(q * static_cast<double>(total) + 0.5), seen = 0;
    for (int64_t i = 0; i < kBuckets; ++i) {
      seen += h_[i];
      if (seen >= std::max<uint64_t>(want, 1)) return i;
    }
    return kBuckets - 1;
  }

 private:
  uint32_t* h_;
};

// What a phase reports to the parent through a pipe (plain bytes).
struct Result {
  int ok = 0;
  char error[240] = "";
  uint64_t records = 0;
  uint64_t bytes = 0;        // keys + values
  uint64_t event_bytes = 0;  // pull+event: the events' JSON
  uint64_t batches = 0;
  double startup_s = 0;  // start of the phase to the first record
  double span_s = 0;     // first record to the last one
  double total_s = 0;
  int64_t p50_ms = -1, p99_ms = -1, max_ms = -1;
  double produce_rate = 0;  // live phase: the rate actually produced
  long maxrss_kb = 0;       // filled in by the parent (wait4)
  double cpu_s = 0;         // user + system CPU of the phase's process (wait4)
  int64_t expected = 0;     // produce phase: records in the topic
};

void set_error(Result* r, const std::string& msg) {
  std::snprintf(r->error, sizeof r->error, "%s", msg.c_str());
  r->ok = 0;
}

// Runs fn in a forked child; the child's Result and peak RSS come back.
template <class Fn>
Result in_child(Fn fn) {
  int fds[2];
  if (pipe(fds) != 0) die(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) die(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::close(fds[0]);
    Result r;
    fn(&r);
    const char* p = reinterpret_cast<const char*>(&r);
    size_t left = sizeof r;
    while (left) {
      ssize_t n = ::write(fds[1], p, left);
      if (n <= 0) _exit(3);
      p += n;
      left -= static_cast<size_t>(n);
    }
    std::fflush(nullptr);
    _exit(0);
  }
  ::close(fds[1]);
  Result r;
  char* p = reinterpret_cast<char*>(&r);
  size_t got = 0;
  while (got < sizeof r) {
    ssize_t n = ::read(fds[0], p + got, sizeof r - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fds[0]);
  int status = 0;
  rusage ru{};
  while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
  }
  if (got != sizeof r) {
    r = Result();
    set_error(&r, "the phase's process died (wait status " + std::to_string(status) + ")");
  }
  r.maxrss_kb = ru.ru_maxrss;
  r.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  return r;
}

void check(sluice_error_t* e, const char* what);

// ---- librdkafka clients ---------------------------------------------------

rd_kafka_t* new_client(rd_kafka_type_t type, const Options& o,
                       std::vector<std::pair<std::string, std::string>> settings) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  settings.insert(settings.begin(), {"bootstrap.servers", o.bootstrap});
  for (const auto& kv : o.kafka) settings.push_back(kv);
  for (const auto& [k, v] : settings)
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
      die("librdkafka config " + k + "=" + v + ": " + err);
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) die(std::string("rd_kafka_new: ") + err);
  return rk;
}

int64_t topic_records(rd_kafka_t* rk, const Options& o) {
  int64_t total = 0;
  for (int32_t p = 0; p < o.partitions; ++p) {
    int64_t lo = 0, hi = 0;
    rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(rk, o.topic.c_str(), p, &lo, &hi, 10000);
    if (e) die("watermarks of partition " + std::to_string(p) + ": " + rd_kafka_err2str(e));
    total += hi - lo;
  }
  return total;
}

// Produces n records round-robin over the partitions, at `rate` records/s if
// rate > 0 (live phase), else as fast as possible; stops early when *stop.
double produce(rd_kafka_t* rk, const Options& o, int64_t n, int64_t rate,
               const std::atomic<bool>* stop = nullptr) {
  // Values differ from record to record (a window sliding over random bytes)
  // so that nothing downstream can take shortcuts on identical values.
  std::vector<char> pool(static_cast<size_t>(o.value_size) + 4096);
  uint64_t x = 88172645463325252ULL;
  for (char& c : pool) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    c = static_cast<char>(x);
  }
  char key[32];
  const auto t0 = Clock::now();
  int64_t i = 0;
  for (; i < n; ++i) {
    if (stop && stop->load(std::memory_order_relaxed)) break;
    if (rate > 0) {
      auto due = t0 + std::chrono::nanoseconds(i * 1000000000LL / rate);
      if (Clock::now() < due) std::this_thread::sleep_until(due);
    }
    std::snprintf(key, sizeof key, "%0*lld", static_cast<int>(o.key_size), static_cast<long long>(i));
    char* value = pool.data() + (i * 7) % 4096;  // a variable: the macro casts without parentheses
    for (;;) {
      rd_kafka_resp_err_t e = rd_kafka_producev(
          rk, RD_KAFKA_V_TOPIC(o.topic.c_str()), RD_KAFKA_V_PARTITION(static_cast<int32_t>(i % o.partitions)),
          RD_KAFKA_V_KEY(key, static_cast<size_t>(o.key_size)),
          RD_KAFKA_V_VALUE(value, static_cast<size_t>(o.value_size)),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (!e) break;
      if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) die(std::string("produce: ") + rd_kafka_err2str(e));
      rd_kafka_poll(rk, 10);
    }
    if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
  }
  if (rd_kafka_flush(rk, 120000)) die("produce: flush timed out");
  return static_cast<double>(i) / secs(Clock::now() - t0);
}

void delivery_cb(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  if (m->err) die(std::string("delivery failed: ") + rd_kafka_err2str(m->err));
}

rd_kafka_t* new_producer(const Options& o, bool low_latency) {
  std::vector<std::pair<std::string, std::string>> s = {
      {"acks", "1"},
      {"compression.type", "none"},
      {"linger.ms", low_latency ? "0" : "20"},
      {"batch.size", "1000000"},
      {"queue.buffering.max.messages", "1000000"},
      {"queue.buffering.max.kbytes", "1048576"},
  };
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  s.insert(s.begin(), {"bootstrap.servers", o.bootstrap});
  for (const auto& kv : o.kafka) s.push_back(kv);
  for (const auto& [k, v] : s)
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
      die("librdkafka config " + k + "=" + v + ": " + errstr);
  rd_kafka_conf_set_dr_msg_cb(conf, delivery_cb);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) die(std::string("rd_kafka_new: ") + errstr);
  return rk;
}

void phase_produce(const Options& o, Result* r) {
  if (o.produce)
    check(sluice_topic_create(o.bootstrap.c_str(), o.topic.c_str(), o.partitions, 30000),
          "sluice_topic_create");
  rd_kafka_t* rk = new_producer(o, false);
  if (o.produce) r->produce_rate = produce(rk, o, o.records, 0);
  r->expected = topic_records(rk, o);
  r->records = static_cast<uint64_t>(o.records);
  rd_kafka_destroy(rk);
  r->ok = 1;
}

// Shared bookkeeping of the consuming phases.
struct Meter {
  Clock::time_point start = Clock::now(), first{}, last{};
  std::atomic<uint64_t> records{0}, bytes{0}, event_bytes{0}, batches{0};
  std::atomic<int64_t> first_ns{0}, last_ns{0};
  Latency lat;

  // The host saw a batch of n records, b bytes (any thread).
  void saw(uint64_t n, uint64_t b) {
    int64_t t = Clock::now().time_since_epoch().count();
    int64_t zero = 0;
    first_ns.compare_exchange_strong(zero, t);
    last_ns.store(t, std::memory_order_relaxed);  // approximately the last; fine at the end
    records += n;
    bytes += b;
    batches++;
  }
  void finish(Result* r) {
    auto tp = [](int64_t ns) { return Clock::time_point(Clock::duration(ns)); };
    r->records = records;
    r->bytes = bytes;
    r->event_bytes = event_bytes;
    r->batches = batches;
    if (first_ns) {
      r->startup_s = secs(tp(first_ns) - start);
      r->span_s = secs(tp(last_ns) - tp(first_ns));
    }
    r->total_s = secs(Clock::now() - start);
    r->p50_ms = lat.quantile(0.50);
    r->p99_ms = lat.quantile(0.99);
    r->max_ms = lat.quantile(1.0);
  }
};

void phase_raw(const Options& o, int64_t expected, const std::string& group, bool from_end,
               const std::atomic<bool>* done_flag, Meter* m, Result* r) {
  rd_kafka_t* rk = new_client(RD_KAFKA_CONSUMER, o,
                              {{"group.id", group},
                               {"enable.auto.commit", "false"},
                               {"enable.partition.eof", "false"},
                               {"auto.offset.reset", "earliest"}});
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(o.partitions);
  for (int32_t p = 0; p < o.partitions; ++p)
    rd_kafka_topic_partition_list_add(parts, o.topic.c_str(), p)->offset =
        from_end ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
  if (rd_kafka_resp_err_t e = rd_kafka_assign(rk, parts)) die(std::string("assign: ") + rd_kafka_err2str(e));
  rd_kafka_topic_partition_list_destroy(parts);
  rd_kafka_queue_t* q = rd_kafka_queue_get_consumer(rk);
  std::vector<rd_kafka_message_t*> msgs(10000);
  const auto deadline = Clock::now() + std::chrono::seconds(o.timeout_s);
  m->start = Clock::now();
  while ((expected < 0 || m->records < static_cast<uint64_t>(expected)) && Clock::now() < deadline &&
         !(done_flag && done_flag->load())) {
    // Wait for one message, then take what else is there without waiting:
    // consume_batch_queue alone waits for a full batch or its timeout, which
    // would add up to that timeout to every record's latency.
    rd_kafka_message_t* one = rd_kafka_consume_queue(q, 200);
    if (!one) continue;
    msgs[0] = one;
    ssize_t n = rd_kafka_consume_batch_queue(q, 0, msgs.data() + 1, msgs.size() - 1);
    n = n < 0 ? 1 : n + 1;
    int64_t now = wall_ms();
    uint64_t count = 0, bytes = 0;
    for (ssize_t i = 0; i < n; ++i) {
      rd_kafka_message_t* msg = msgs[i];
      if (!msg->err) {
        ++count;
        bytes += msg->len + msg->key_len;
        rd_kafka_timestamp_type_t tt;
        int64_t ts = rd_kafka_message_timestamp(msg, &tt);
        if (ts > 0) m->lat.add(now - ts);
      }
      rd_kafka_message_destroy(msg);
    }
    if (count) m->saw(count, bytes);
  }
  m->finish(r);
  rd_kafka_queue_destroy(q);
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  r->ok = expected < 0 || r->records >= static_cast<uint64_t>(expected);
  if (!r->ok) set_error(r, "timed out after " + fmt_count(static_cast<double>(r->records)) + " records");
}

// ---- sluice ---------------------------------------------------------------

void check(sluice_error_t* e, const char* what) {
  if (!e) return;
  std::string msg = std::string(what) + ": " + sluice_error_message(e);
  sluice_error_destroy(e);
  die(msg);
}

sluice_conf_t* sluice_conf(const Options& o, const std::string& group, int batch_size,
                           const char* position) {
  sluice_conf_t* conf = nullptr;
  check(sluice_conf_new(&conf), "sluice_conf_new");
  std::vector<std::pair<std::string, std::string>> s = {
      {"bootstrap.servers", o.bootstrap},
      {"topic", o.topic},
      {"group.id", group},
      {"starting.position", position},
      {"batch.size", std::to_string(batch_size)},
      {"batch.window.ms", "0"},
  };
  for (const auto& [k, v] : o.kafka) s.push_back({"kafka." + k, v});
  for (const auto& kv : o.sluice_set) s.push_back(kv);
  for (const auto& [k, v] : s)
    check(sluice_conf_set(conf, k.c_str(), v.c_str()), ("sluice_conf_set " + k).c_str());
  return conf;
}

// Counts a batch's records and bytes and their latencies.
void observe(const sluice_batch_t* b, Meter* m) {
  const sluice_record_t* recs = nullptr;
  uint64_t n = 0;
  check(sluice_batch_records(b, &recs, &n), "sluice_batch_records");
  int64_t now = wall_ms();
  uint64_t bytes = 0;
  for (uint64_t i = 0; i < n; ++i) {
    bytes += recs[i].key_len + recs[i].value_len;
    if (recs[i].timestamp > 0) m->lat.add(now - recs[i].timestamp);
  }
  m->saw(n, bytes);
}

void phase_pull(const Options& o, int64_t expected, const std::string& group, int batch_size,
                bool encode, Result* r) {
  Meter m;
  sluice_conf_t* conf = sluice_conf(o, group, batch_size, "trim_horizon");
  sluice_engine_t* engine = nullptr;
  m.start = Clock::now();
  check(sluice_engine_new(conf, &engine), "sluice_engine_new");
  sluice_conf_destroy(conf);
  const auto deadline = Clock::now() + std::chrono::seconds(o.timeout_s);
  while (m.records < static_cast<uint64_t>(expected) && Clock::now() < deadline) {
    sluice_batch_t* b = nullptr;
    check(sluice_engine_poll(engine, 200, &b), "sluice_engine_poll");
    if (!b) continue;
    observe(b, &m);
    if (encode) {
      const uint8_t* ev = nullptr;
      uint64_t len = 0;
      check(sluice_batch_event(b, &ev, &len), "sluice_batch_event");
      m.event_bytes += len;
    }
    check(sluice_batch_ack(b), "sluice_batch_ack");
    sluice_batch_destroy(b);
  }
  m.finish(r);
  sluice_error_destroy(sluice_engine_stop(engine, 5000));
  sluice_engine_destroy(engine);
  r->ok = r->records >= static_cast<uint64_t>(expected);
  if (!r->ok) set_error(r, "timed out after " + fmt_count(static_cast<double>(r->records)) + " records");
}

int32_t noop_handler(void* opaque, const sluice_batch_t* b) {
  observe(b, static_cast<Meter*>(opaque));
  return 0;
}

// Push mode; with a live producer when rate > 0 (then expected = -1 and the
// phase ends when the producer is done and the records have arrived).
void phase_push(const Options& o, int64_t expected, const std::string& group, int batch_size,
                int64_t live_rate, Result* r) {
  Meter m;
  const bool live = live_rate > 0;
  sluice_conf_t* conf = sluice_conf(o, group, batch_size, live ? "latest" : "trim_horizon");
  check(sluice_conf_set_handler(conf, noop_handler, &m), "sluice_conf_set_handler");
  sluice_engine_t* engine = nullptr;
  m.start = Clock::now();
  check(sluice_engine_new(conf, &engine), "sluice_engine_new");
  sluice_conf_destroy(conf);
  if (live) {
    // Wait until every partition is assigned and positioned, then produce.
    const auto t0 = Clock::now();
    for (;;) {
      char* js = nullptr;
      uint64_t len = 0;
      check(sluice_engine_stats(engine, &js, &len), "sluice_engine_stats");
      std::string s(js, len);
      sluice_free(js);
      size_t at = s.find("\"AssignedPartitions\":");
      if (at != std::string::npos && std::atoll(s.c_str() + at + 21) >= o.partitions) break;
      if (Clock::now() - t0 > std::chrono::seconds(60)) die("live: no assignment after 60 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    rd_kafka_t* prod = new_producer(o, true);
    (void)topic_records(prod, o);  // connected before the first timestamp is taken
    std::this_thread::sleep_for(std::chrono::seconds(2));  // let fetches start at the end
    int64_t n = o.latency_seconds * live_rate;
    r->produce_rate = produce(prod, o, n, live_rate);
    rd_kafka_destroy(prod);
    expected = n;
  }
  const auto deadline = Clock::now() + std::chrono::seconds(o.timeout_s);
  while (m.records < static_cast<uint64_t>(expected) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  m.finish(r);
  sluice_error_destroy(sluice_engine_stop(engine, 5000));
  sluice_engine_destroy(engine);
  r->ok = r->records >= static_cast<uint64_t>(expected);
  if (!r->ok) set_error(r, "timed out after " + fmt_count(static_cast<double>(r->records)) + " records");
}

// The raw consumer under the same live load.
void phase_raw_live(const Options& o, const std::string& group, Result* r) {
  Meter m;
  std::atomic<bool> stop{false};
  Result consumed;
  std::thread consumer([&] { phase_raw(o, -1, group, true, &stop, &m, &consumed); });
  rd_kafka_t* prod = new_producer(o, true);
  (void)topic_records(prod, o);  // connected before the first timestamp is taken
  std::this_thread::sleep_for(std::chrono::seconds(3));  // assign + first fetch at the end
  int64_t n = o.latency_seconds * o.latency_rate;
  r->produce_rate = produce(prod, o, n, o.latency_rate);
  rd_kafka_destroy(prod);
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (m.records < static_cast<uint64_t>(n) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  stop = true;
  consumer.join();
  double rate = r->produce_rate;
  *r = consumed;
  r->produce_rate = rate;
  r->ok = r->records >= static_cast<uint64_t>(n);
  if (!r->ok) set_error(r, "got " + fmt_count(static_cast<double>(r->records)) + " of " +
                               fmt_count(static_cast<double>(n)) + " records");
}

// ---- reporting ------------------------------------------------------------

std::string loadavg() {
  std::ifstream f("/proc/loadavg");
  std::string line;
  std::getline(f, line);
  return line;
}

std::string cpu_model() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

struct Row {
  std::string mode;
  int batch = 0;
  Result r;
};

double rate(const Result& r) {
  return r.span_s > 0 ? static_cast<double>(r.records) / r.span_s : 0;
}

void print_header() {
  std::printf("%-13s %5s %11s %7s %17s %8s %7s %7s %8s %9s %10s %9s\n", "mode", "batch", "records/s",
              "MB/s", "x raw (range)", "startup", "p50 ms", "p99 ms", "max ms", "peak RSS", "CPU ns/rec",
              "rec/batch");
}

void print_row(const Row& row, double raw_rate, const char* ratio_text = nullptr) {
  const Result& r = row.r;
  if (!r.ok) {
    std::printf("%-13s %5s  FAILED: %s\n", row.mode.c_str(),
                row.batch ? std::to_string(row.batch).c_str() : "-", r.error);
    return;
  }
  double rr = rate(r);
  double mbs = r.span_s > 0 ? static_cast<double>(r.bytes) / r.span_s / 1e6 : 0;
  char ratio[40] = "-";
  if (ratio_text) std::snprintf(ratio, sizeof ratio, "%s", ratio_text);
  else if (raw_rate > 0) std::snprintf(ratio, sizeof ratio, "%.2f", rr / raw_rate);
  std::printf("%-13s %5s %11s %7.1f %17s %6.2f s %7" PRId64 " %7" PRId64 " %8" PRId64 " %6.1f MB",
              row.mode.c_str(), row.batch ? std::to_string(row.batch).c_str() : "-",
              fmt_count(rr).c_str(), mbs, ratio, r.startup_s, r.p50_ms,
              r.p99_ms, r.max_ms, static_cast<double>(r.maxrss_kb) / 1024);
  std::printf(" %10.0f", r.records ? r.cpu_s * 1e9 / static_cast<double>(r.records) : 0.0);
  if (row.batch) std::printf(" %9.1f", r.batches ? static_cast<double>(r.records) / static_cast<double>(r.batches) : 0.0);
  else std::printf(" %9s", "-");
  if (r.event_bytes)
    std::printf("   events %.1f MB/s", static_cast<double>(r.event_bytes) / r.span_s / 1e6);
  std::printf("\n");
  std::fflush(stdout);
}

// One measured phase (raw, or a sluice mode at a batch size) and its result
// in every round.
struct Phase {
  std::string mode;
  int batch = 0;
  std::function<void(int round, Result*)> run;
  std::vector<Result> rounds;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// A phase's summary row: the round with the median records/s stands for it,
// and x raw is the median of the per-round ratios (each sluice run against
// the raw runs of the same round, so slow drifts of the machine or the broker
// cancel out), with their range. raw_of_round: the round's raw records/s, 0
// when it has none.
void print_summary(const Phase& ph, const std::vector<double>& raw_of_round, bool is_raw) {
  std::vector<size_t> ok;
  for (size_t i = 0; i < ph.rounds.size(); ++i)
    if (ph.rounds[i].ok) ok.push_back(i);
  if (ok.empty()) {
    print_row(Row{ph.mode, ph.batch, ph.rounds.front()}, 0, "-");
    return;
  }
  std::sort(ok.begin(), ok.end(), [&](size_t a, size_t b) { return rate(ph.rounds[a]) < rate(ph.rounds[b]); });
  const Result& mid = ph.rounds[ok[ok.size() / 2]];
  std::vector<double> ratios;
  for (size_t i : ok)
    if (i < raw_of_round.size() && raw_of_round[i] > 0) ratios.push_back(rate(ph.rounds[i]) / raw_of_round[i]);
  char ratio[40] = "-";
  if (ratios.size() == 1) {
    std::snprintf(ratio, sizeof ratio, "%.2f", ratios[0]);
  } else if (!ratios.empty()) {
    auto [lo, hi] = std::minmax_element(ratios.begin(), ratios.end());
    std::snprintf(ratio, sizeof ratio, "%.2f (%.2f-%.2f)", median(ratios), *lo, *hi);
  }
  print_row(Row{ph.mode, ph.batch, mid}, 0, is_raw ? "1.00" : ratio);
}

std::vector<int> parse_list(const std::string& s) {
  std::vector<int> v;
  size_t at = 0;
  while (at <= s.size()) {
    size_t comma = s.find(',', at);
    if (comma == std::string::npos) comma = s.size();
    v.push_back(std::atoi(s.substr(at, comma - at).c_str()));
    at = comma + 1;
  }
  return v;
}

void usage() {
  std::fprintf(stderr,
               "usage: sluice_e2e_bench --bootstrap ADDR [--records N] [--value-size B]\n"
               "         [--key-size B] [--partitions P] [--batch-sizes 100,1000] [--repeat R]\n"
               "         [--topic T] [--no-produce] [--timeout-s S] [--latency-seconds S]\n"
               "         [--latency-rate R] [--modes raw,pull,push,event] [--set KEY=VALUE]...\n"
               "--set kafka.X=Y goes to every client (raw and sluice); other keys to sluice only.\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string cmdline;
  for (int i = 0; i < argc; ++i) cmdline += (i ? " " : "") + std::string(argv[i]);
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (a == "--bootstrap") o.bootstrap = val();
    else if (a == "--topic") o.topic = val();
    else if (a == "--records") o.records = std::atoll(val().c_str());
    else if (a == "--value-size") o.value_size = std::atoll(val().c_str());
    else if (a == "--key-size") o.key_size = std::atoll(val().c_str());
    else if (a == "--partitions") o.partitions = std::atoi(val().c_str());
    else if (a == "--batch-sizes") o.batch_sizes = parse_list(val());
    else if (a == "--repeat") o.repeat = std::max(1, std::atoi(val().c_str()));
    else if (a == "--no-produce") o.produce = false;
    else if (a == "--timeout-s") o.timeout_s = std::atoll(val().c_str());
    else if (a == "--latency-seconds") o.latency_seconds = std::atoll(val().c_str());
    else if (a == "--latency-rate") o.latency_rate = std::atoll(val().c_str());
    else if (a == "--modes") o.modes = val();
    else if (a == "--set") {
      std::string kv = val();
      size_t eq = kv.find('=');
      if (eq == std::string::npos) usage();
      std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
      if (k.rfind("kafka.", 0) == 0) o.kafka.push_back({k.substr(6), v});
      else o.sluice_set.push_back({k, v});
    } else usage();
  }
  if (o.bootstrap.empty() || o.records < 1 || o.value_size < 0 || o.key_size < 1 ||
      o.key_size > 20 || o.partitions < 1)
    usage();
  const std::string run_id = std::to_string(getpid()) + "-" + std::to_string(wall_ms());
  if (o.topic.empty())
    o.topic = "e2e-" + std::to_string(o.value_size) + "b-" + std::to_string(o.partitions) + "p-" + run_id;

  char date[64];
  time_t now = time(nullptr);
  strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %Z", localtime(&now));
  std::printf("sluice end-to-end benchmark\n");
  std::printf("command:  %s\n", cmdline.c_str());
  std::printf("date:     %s\n", date);
  std::printf("cpu:      %s x %ld online\n", cpu_model().c_str(), sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("load:     %s (/proc/loadavg; the broker and other work share the CPUs)\n",
              loadavg().c_str());
  std::printf("versions: sluice %s, librdkafka %s\n", sluice_version_string(), rd_kafka_version_str());
  std::printf("topic:    %s (%d partitions) at %s\n", o.topic.c_str(), o.partitions, o.bootstrap.c_str());
  std::printf("records:  %s x (%lld B key + %lld B value)\n", fmt_count(static_cast<double>(o.records)).c_str(),
              static_cast<long long>(o.key_size), static_cast<long long>(o.value_size));
  std::fflush(stdout);

  Result prod = in_child([&](Result* r) { phase_produce(o, r); });
  if (!prod.ok) die(std::string("produce: ") + prod.error);
  if (o.produce)
    std::printf("produce:  %s records/s (librdkafka producer, acks=1, linger.ms=20), peak RSS %.1f MB\n",
                fmt_count(prod.produce_rate).c_str(), static_cast<double>(prod.maxrss_kb) / 1024);
  const int64_t expected = prod.expected;
  std::printf("in topic: %s records%s\n\n", fmt_count(static_cast<double>(expected)).c_str(),
              o.repeat > 1 ? (", " + std::to_string(o.repeat) + " rounds of every phase").c_str() : "");
  std::fflush(stdout);

  auto want = [&](const char* mode) { return ("," + o.modes + ",").find(std::string(",") + mode + ",") != std::string::npos; };
  std::vector<Phase> phases;
  if (want("raw"))
    phases.push_back(Phase{"raw", 0, [&](int i, Result* r) {
                             Meter m;
                             phase_raw(o, expected, "e2e-raw-" + run_id + "-" + std::to_string(i), false, nullptr, &m, r);
                           }, {}});
  for (int bs : o.batch_sizes) {
    const std::string b = std::to_string(bs);
    if (want("pull"))
      phases.push_back(Phase{"sluice pull", bs, [&, bs, b](int i, Result* r) {
                               phase_pull(o, expected, "e2e-pull-" + run_id + "-" + b + "-" + std::to_string(i), bs, false, r);
                             }, {}});
    if (want("push"))
      phases.push_back(Phase{"sluice push", bs, [&, bs, b](int i, Result* r) {
                               phase_push(o, expected, "e2e-push-" + run_id + "-" + b + "-" + std::to_string(i), bs, 0, r);
                             }, {}});
    if (want("event"))
      phases.push_back(Phase{"pull+event", bs, [&, bs, b](int i, Result* r) {
                               phase_pull(o, expected, "e2e-event-" + run_id + "-" + b + "-" + std::to_string(i), bs, true, r);
                             }, {}});
  }
  Phase* raw = want("raw") ? &phases.front() : nullptr;
  // Rounds: raw, every sluice phase once, raw again; each sluice run is
  // compared with the mean of its round's two raw runs, and the sluice phases
  // run in reverse order every other round, so that neither a drift during
  // the round nor a phase's place in it favours any row.
  std::vector<double> raw_of_round;
  for (int round = 0; round < o.repeat; ++round) {
    if (o.repeat > 1) std::printf("round %d of %d\n", round + 1, o.repeat);
    print_header();
    auto run_raw = [&] {
      raw->rounds.push_back(in_child([&](Result* out) { raw->run(static_cast<int>(raw->rounds.size()), out); }));
      print_row(Row{raw->mode, raw->batch, raw->rounds.back()}, 0, "1.00");
      return raw->rounds.back().ok ? rate(raw->rounds.back()) : 0.0;
    };
    const double raw_before = raw ? run_raw() : 0;
    std::vector<Phase*> order;
    for (Phase& ph : phases)
      if (&ph != raw) order.push_back(&ph);
    if (round % 2) std::reverse(order.begin(), order.end());
    for (Phase* ph : order) {
      ph->rounds.push_back(in_child([&](Result* out) { ph->run(round, out); }));
      print_row(Row{ph->mode, ph->batch, ph->rounds.back()}, raw_before);
    }
    const double raw_after = raw ? run_raw() : 0;
    raw_of_round.push_back(raw_before > 0 && raw_after > 0 ? (raw_before + raw_after) / 2 : 0);
    std::printf("\n");
  }
  if (o.repeat > 1) {
    std::printf("summary of %d rounds: the median round per row (raw: of all its runs); x raw is the\n"
                "median of the per-round ratios to the mean of the round's two raw runs (range:\n"
                "lowest-highest)\n", o.repeat);
    print_header();
    for (const Phase& ph : phases) print_summary(ph, raw_of_round, &ph == raw);
  }

  if (o.latency_seconds > 0) {
    std::printf("\nlive: %s records/s for %lld s, produced while consuming from the end "
                "(producer linger.ms=0); batch.size 100, window 0\n",
                fmt_count(static_cast<double>(o.latency_rate)).c_str(),
                static_cast<long long>(o.latency_seconds));
    print_header();
    Row lraw{"raw live", 0, in_child([&](Result* r) { phase_raw_live(o, "e2e-live-raw-" + run_id, r); })};
    print_row(lraw, 0);
    Row lpush{"sluice live", 100, in_child([&](Result* r) {
                phase_push(o, -1, "e2e-live-push-" + run_id, 100, o.latency_rate, r);
              })};
    print_row(lpush, 0);
  }

  std::printf(
      "\nrecords/s and MB/s: keys + values, from the first record the host sees to the last\n"
      "(startup, i.e. connecting, joining the group and the first fetch, is shown apart).\n"
      "x raw: records/s relative to the raw librdkafka consumer on the same topic.\n"
      "p50/p99/max: now - the record's CREATE_TIME when the host sees its batch, in ms (the\n"
      "timestamp's resolution; same machine, same clock). In the backlog rows the topic was\n"
      "filled before consuming, so these are mostly the time the records waited in the topic\n"
      "(they grow with the run's length), not sluice's latency; the live rows, produced while\n"
      "consuming, are the meaningful latency numbers.\n"
      "peak RSS: ru_maxrss of the phase's own forked process.\n"
      "rec/batch: records per batch the host saw (batch.window.ms 0: a batch holds what has\n"
      "arrived when the partition's previous batch is done, up to batch.size).\n"
      "CPU ns/rec: user + system CPU time of that process (all its threads, librdkafka's\n"
      "included, startup included) per record; less sensitive than records/s to other load on\n"
      "the machine, but it does not count the broker's work (e.g. serving offset commits).\n");
  std::printf("load:     %s (at the end; /proc/loadavg)\n", loadavg().c_str());
  return 0;
}
