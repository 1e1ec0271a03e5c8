// run_command.cc: `sluice run`, a push-mode host of the engine. Each batch goes
// to a shell command's stdin as the Lambda event JSON (--exec), or becomes one
// line on stdout. Without --bootstrap it brings its own broker: a mock cluster
// with a sample topic (demo_workload.h).
//
// Threads: the engine's workers call handle_batch(); the main thread waits for
// signals (SIGINT/SIGTERM are blocked everywhere and taken with sigtimedwait,
// so no async-signal-safety games), watches the stats, draws the progress line
// and decides when to stop; a short-lived thread runs sluice_engine_stop() so
// that a second Ctrl-C is still heard while the engine drains.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "demo_workload.h"
#include "exec.h"
#include "sluice.h"
#include "sluice_mock.h"
#include "stats_json.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using sluice_cli::stat_int;
using sluice_cli::stat_string;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;  // second Ctrl-C, as a shell reports SIGINT

const char kUsage[] =
    "usage: sluice run [--bootstrap HOST:PORT --topic T --group G] [options]\n"
    "\n"
    "Consumes a topic the way AWS Lambda's Kafka event source mapping does and hands\n"
    "each batch, as the Lambda MSK event JSON, to a command; commits after it succeeds.\n"
    "Without --bootstrap: an embedded mock Kafka with a sample topic (\"demo\").\n"
    "\n"
    "source:\n"
    "  --bootstrap HOST:PORT        brokers (bootstrap.servers); omit for the embedded demo\n"
    "  --topic T                    topic (topic); embedded default \"demo\"\n"
    "  --group G                    consumer group (group.id); embedded default \"sluice-demo\"\n"
    "  --starting-position P        latest | trim_horizon | at_timestamp (starting.position)\n"
    "  --starting-timestamp MS      epoch ms for at_timestamp (starting.position.timestamp)\n"
    "batching and dispatch:\n"
    "  --batch-size N               records per batch, 1..10000 (batch.size)\n"
    "  --window-ms N                batching window in ms, 0..300000 (batch.window.ms)\n"
    "  --concurrency N              batches at once, one per partition (max.concurrency)\n"
    "  --filter PATTERN             an ESM filter pattern (JSON); repeat to OR several\n"
    "  --set KEY=VALUE              any configuration key, kafka.* ones included; repeatable\n"
    "handler:\n"
    "  --exec CMD                   run `/bin/sh -c CMD` per batch with the event on stdin;\n"
    "                               exit status 0 = success (committed), else retried.\n"
    "                               Without --exec: print one line per batch on stdout.\n"
    "ending:\n"
    "  --max-records N              stop after N records were handled successfully\n"
    "  --idle-exit-ms N             stop after N ms without new records (counted from start)\n"
    "  --stop-timeout-ms N          how long running batches may take to finish on stop\n"
    "                               (default 10000)\n"
    "embedded demo (no --bootstrap):\n"
    "  --demo-records N             records to produce (default 20000)\n"
    "  --demo-partitions N          partitions of the demo topic (default 4)\n"
    "output:\n"
    "  --no-progress                no progress line on stderr\n"
    "  --print-stats                print the engine's final stats JSON on stderr\n"
    "\n"
    "Exit status: 0 done, 1 runtime failure, 2 bad option or configuration,\n"
    "130 a second Ctrl-C. See docs/CLI.md.\n";

// A configuration setting and the option it came from (for error messages).
struct Setting {
  std::string key;
  std::string value;
  std::string origin;
};

struct Options {
  std::string bootstrap, topic, group, exec;
  bool have_position = false;
  bool have_timestamp = false;
  std::vector<Setting> settings;  // in command-line order
  std::vector<std::string> filters;
  int64_t max_records = -1;
  int64_t idle_exit_ms = -1;
  int64_t stop_timeout_ms = 10000;
  int64_t demo_records = 20000;
  int64_t demo_partitions = 4;
  bool progress = true;
  bool print_stats = false;
};

std::string fmt_count(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bool parse_int(const std::string& s, int64_t lo, int64_t hi, int64_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno || *end || v < lo || v > hi) return false;
  *out = v;
  return true;
}

// Returns -1 when the options are fine, else the exit status.
int parse_options(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    }
    if (arg.rfind("--", 0) != 0) {
      std::fprintf(stderr, "sluice run: unexpected argument '%s' (see sluice run --help)\n",
                   arg.c_str());
      return kExitUsage;
    }
    std::string name = arg, value;
    bool inline_value = false;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      inline_value = true;
    }
    // Flags without a value.
    if (name == "--no-progress" || name == "--print-stats") {
      if (inline_value) {
        std::fprintf(stderr, "sluice run: %s takes no value\n", name.c_str());
        return kExitUsage;
      }
      if (name == "--no-progress") o->progress = false;
      if (name == "--print-stats") o->print_stats = true;
      continue;
    }
    static const char* const kWithValue[] = {
        "--bootstrap",    "--topic",           "--group",          "--batch-size",
        "--window-ms",    "--starting-position", "--starting-timestamp", "--concurrency",
        "--filter",       "--set",             "--exec",           "--max-records",
        "--idle-exit-ms", "--stop-timeout-ms", "--demo-records",   "--demo-partitions"};
    bool known = false;
    for (const char* k : kWithValue) known = known || name == k;
    if (!known) {
      std::fprintf(stderr, "sluice run: unknown option '%s' (see sluice run --help)\n",
                   name.c_str());
      return kExitUsage;
    }
    if (!inline_value) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "sluice run: %s needs a value\n", name.c_str());
        return kExitUsage;
      }
      value = argv[++i];
    }
    auto number = [&](int64_t lo, int64_t hi, int64_t* out) {
      if (parse_int(value, lo, hi, out)) return true;
      std::fprintf(stderr, "sluice run: %s '%s': expected an integer in %" PRId64 "..%" PRId64 "\n",
                   name.c_str(), value.c_str(), lo, hi);
      return false;
    };
    const std::string origin = name + " " + value;
    if (name == "--bootstrap") {
      o->bootstrap = value;
    } else if (name == "--topic") {
      o->topic = value;
    } else if (name == "--group") {
      o->group = value;
    } else if (name == "--batch-size") {
      o->settings.push_back({"batch.size", value, origin});
    } else if (name == "--window-ms") {
      o->settings.push_back({"batch.window.ms", value, origin});
    } else if (name == "--starting-position") {
      o->have_position = true;
      o->settings.push_back({"starting.position", value, origin});
    } else if (name == "--starting-timestamp") {
      o->have_timestamp = true;
      o->settings.push_back({"starting.position.timestamp", value, origin});
    } else if (name == "--concurrency") {
      o->settings.push_back({"max.concurrency", value, origin});
    } else if (name == "--filter") {
      o->filters.push_back(value);
    } else if (name == "--set") {
      size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::fprintf(stderr, "sluice run: --set '%s': expected KEY=VALUE\n", value.c_str());
        return kExitUsage;
      }
      std::string key = value.substr(0, eq), v = value.substr(eq + 1);
      // The keys with options of their own behave exactly like those options.
      if (key == "bootstrap.servers") {
        o->bootstrap = v;
      } else if (key == "topic") {
        o->topic = v;
      } else if (key == "group.id") {
        o->group = v;
      } else {
        if (key == "starting.position") o->have_position = true;
        if (key == "starting.position.timestamp") o->have_timestamp = true;
        o->settings.push_back({key, v, "--set " + value});
      }
    } else if (name == "--exec") {
      o->exec = value;
    } else if (name == "--max-records") {
      if (!number(1, INT64_MAX, &o->max_records)) return kExitUsage;
    } else if (name == "--idle-exit-ms") {
      if (!number(1, INT64_MAX / 1000000, &o->idle_exit_ms)) return kExitUsage;
    } else if (name == "--stop-timeout-ms") {
      if (!number(0, INT32_MAX, &o->stop_timeout_ms)) return kExitUsage;
    } else if (name == "--demo-records") {
      if (!number(1, 10000000, &o->demo_records)) return kExitUsage;
    } else if (name == "--demo-partitions") {
      if (!number(1, 1000, &o->demo_partitions)) return kExitUsage;
    }
  }
  // --starting-timestamp alone means "start at that timestamp".
  if (o->have_timestamp && !o->have_position) {
    o->settings.insert(o->settings.begin(),
                       {"starting.position", "at_timestamp", "--starting-timestamp"});
    o->have_position = true;
  }
  return -1;
}

// ---- the handler ------------------------------------------------------------

// Serialises what goes to the terminal: batch lines on stdout and the
// progress line on stderr, which a batch line must first erase.
struct Terminal {
  std::mutex mu;
  bool live = false;        // stderr is a terminal and progress is on
  bool line_shown = false;  // a progress line is on screen (guarded by mu)

  void clear_locked() {
    if (line_shown) {
      std::fputs("\r\033[K", stderr);
      std::fflush(stderr);
      line_shown = false;
    }
  }
};

struct Host {
  std::string exec;
  std::vector<std::string> base_env;  // environ without our SLUICE_* names
  sluice_cli::Children children;
  Terminal term;

  std::atomic<int64_t> records_ok{0};
  std::atomic<int64_t> batches_ok{0};
  std::atomic<int64_t> batches_failed{0};
  std::atomic<int64_t> event_bytes{0};
  std::atomic<bool> stdout_broken{false};
  std::atomic<bool> stopping{false};
};

const char* const kEnvNames[] = {"SLUICE_TOPIC",       "SLUICE_PARTITION",    "SLUICE_FIRST_OFFSET",
                                 "SLUICE_LAST_OFFSET", "SLUICE_RECORD_COUNT", "SLUICE_ATTEMPT"};

std::vector<std::string> environment_without_ours() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    bool ours = false;
    for (const char* n : kEnvNames) {
      size_t len = std::strlen(n);
      ours = ours || (!std::strncmp(*e, n, len) && (*e)[len] == '=');
    }
    if (!ours) env.emplace_back(*e);
  }
  return env;
}

void report_error(const char* what, sluice_error_t* e) {
  std::fprintf(stderr, "sluice: %s: %s (%s)\n", what, sluice_error_message(e),
               sluice_code_name(sluice_error_code(e)));
  sluice_error_destroy(e);
}

int32_t handle_batch(void* opaque, const sluice_batch_t* batch) {
  Host& h = *static_cast<Host*>(opaque);
  const sluice_record_t* recs = nullptr;
  uint64_t count = 0;
  const uint8_t* event = nullptr;
  uint64_t event_len = 0;
  if (sluice_error_t* e = sluice_batch_records(batch, &recs, &count)) {
    report_error("reading a batch's records", e);
    return 1;
  }
  if (sluice_error_t* e = sluice_batch_event(batch, &event, &event_len)) {
    report_error("encoding a batch's event", e);
    return 1;
  }
  const char* topic = sluice_batch_topic(batch);
  const int32_t partition = sluice_batch_partition(batch);
  const int64_t first = count ? recs[0].offset : -1;
  const int64_t last = count ? recs[count - 1].offset : -1;
  const uint32_t attempt = sluice_batch_attempt(batch);

  if (!h.exec.empty()) {
    std::vector<std::string> env = h.base_env;
    env.push_back(std::string("SLUICE_TOPIC=") + topic);
    env.push_back("SLUICE_PARTITION=" + std::to_string(partition));
    env.push_back("SLUICE_FIRST_OFFSET=" + std::to_string(first));
    env.push_back("SLUICE_LAST_OFFSET=" + std::to_string(last));
    env.push_back("SLUICE_RECORD_COUNT=" + std::to_string(count));
    env.push_back("SLUICE_ATTEMPT=" + std::to_string(attempt + 1));
    if (h.term.live) {  // the command may write to the terminal too
      std::lock_guard<std::mutex> g(h.term.mu);
      h.term.clear_locked();
    }
    sluice_cli::ExecResult r =
        sluice_cli::run_with_stdin(h.exec, env, event, event_len, &h.children);
    if (!r.ok) {
      h.batches_failed++;
      std::lock_guard<std::mutex> g(h.term.mu);
      h.term.clear_locked();
      std::fprintf(stderr,
                   "sluice: batch %s-%d offsets %" PRId64 "..%" PRId64
                   " (attempt %u): command failed: %s; %s\n",
                   topic, partition, first, last, attempt + 1, r.failure.c_str(),
                   h.stopping ? "not committed, it will be delivered again"
                              : "it will be retried");
      return 1;
    }
  } else {
    uint64_t payload = 0;
    for (uint64_t i = 0; i < count; ++i) payload += recs[i].key_len + recs[i].value_len;
    std::lock_guard<std::mutex> g(h.term.mu);
    h.term.clear_locked();
    int n = std::fprintf(stdout,
                         "%s-%d offsets=%" PRId64 "..%" PRId64 " records=%" PRIu64
                         " bytes=%" PRIu64 " event_bytes=%" PRIu64 "%s\n",
                         topic, partition, first, last, count, payload, event_len,
                         attempt ? " retry" : "");
    if (n < 0 || std::fflush(stdout) != 0) {
      h.stdout_broken = true;  // e.g. `sluice run | head`: stop rather than spin
      return 1;
    }
  }
  h.records_ok += static_cast<int64_t>(count);
  h.batches_ok++;
  h.event_bytes += static_cast<int64_t>(event_len);
  return 0;
}

// ---- configuration ------------------------------------------------------------

// The filter.patterns value: the --filter patterns as one JSON array, with
// where each starts (to point errors at the right --filter).
std::string filter_array(const std::vector<std::string>& filters, std::vector<size_t>* starts) {
  std::string a = "[";
  for (size_t i = 0; i < filters.size(); ++i) {
    if (i) a += ',';
    starts->push_back(a.size());
    a += filters[i];
  }
  return a + "]";
}

// Returns -1 on success, else the exit status (after printing why).
int apply(sluice_conf_t* conf, const Setting& s) {
  sluice_error_t* e = sluice_conf_set(conf, s.key.c_str(), s.value.c_str());
  if (!e) return -1;
  std::fprintf(stderr, "sluice run: %s: %s\n", s.origin.c_str(), sluice_error_message(e));
  sluice_error_destroy(e);
  return kExitUsage;
}

int apply_filters(sluice_conf_t* conf, const std::vector<std::string>& filters) {
  std::vector<size_t> starts;
  std::string patterns = filter_array(filters, &starts);
  sluice_error_t* e = sluice_conf_set(conf, "filter.patterns", patterns.c_str());
  if (!e) return -1;
  int64_t off = sluice_error_offset(e);
  std::string where;
  if (off >= 0) {
    size_t which = 0;
    while (which + 1 < starts.size() && starts[which + 1] <= static_cast<size_t>(off)) ++which;
    if (filters.size() > 1 || static_cast<size_t>(off) >= starts[0]) {
      where = " (--filter #" + std::to_string(which + 1);
      if (static_cast<size_t>(off) >= starts[which])
        where += ", byte " + std::to_string(static_cast<size_t>(off) - starts[which]);
      where += ")";
    }
  }
  const char* path = sluice_error_path(e);
  std::fprintf(stderr, "sluice run: --filter: %s%s%s%s\n", sluice_error_message(e), where.c_str(),
               path && *path ? " at " : "", path ? path : "");
  sluice_error_destroy(e);
  return kExitUsage;
}

// ---- the run ------------------------------------------------------------------

struct Snapshot {
  int64_t polled = 0, filtered = 0, committed = 0, inflight = 0, lag = 0, assigned = 0;
  std::string last_error;
};

Snapshot snapshot(const sluice_engine_t* engine, std::string* raw = nullptr) {
  Snapshot s;
  char* json = nullptr;
  uint64_t len = 0;
  if (sluice_error_t* e = sluice_engine_stats(engine, &json, &len)) {
    sluice_error_destroy(e);
    return s;
  }
  std::string_view j(json, len);
  s.polled = stat_int(j, "PolledEventCount");
  s.filtered = stat_int(j, "FilteredOutEventCount");
  s.committed = stat_int(j, "CommittedEventCount");
  s.inflight = stat_int(j, "InFlightBatches");
  s.lag = stat_int(j, "SumOffsetLag");
  s.assigned = stat_int(j, "AssignedPartitions");
  s.last_error = stat_string(j, "LastError");
  if (raw) raw->assign(json, len);
  sluice_free(json);
  return s;
}

std::string progress_line(const Host& h, const Snapshot& s, double elapsed, double rate) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "sluice: %.1f s  records %s (%s/s)  filtered %s  batches %s  failed %s  "
                "in flight %s  lag %s",
                elapsed, fmt_count(h.records_ok).c_str(), fmt_count(static_cast<int64_t>(rate)).c_str(),
                fmt_count(s.filtered).c_str(), fmt_count(h.batches_ok).c_str(),
                fmt_count(h.batches_failed).c_str(), fmt_count(s.inflight).c_str(),
                fmt_count(s.lag).c_str());
  return buf;
}

}  // namespace

int sluice_cli_run(int argc, char** argv) {
  Options opt;
  if (int rc = parse_options(argc, argv, &opt); rc >= 0) return rc;
  const bool embedded = opt.bootstrap.empty();
  if (!embedded && (opt.topic.empty() || opt.group.empty())) {
    std::fprintf(stderr, "sluice run: with --bootstrap, --topic and --group are required\n");
    return kExitUsage;
  }

  // Before any thread exists (the mock cluster, the engine), so that every
  // thread inherits the mask and only the main loop takes these signals.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a command that does not read stdin: EPIPE, not death
  sluice_cli::ensure_std_fds();

  // Validate the whole configuration before starting any broker.
  sluice_conf_t* conf = nullptr;
  if (sluice_error_t* e = sluice_conf_new(&conf)) {
    report_error("creating the configuration", e);
    return kExitFailure;
  }
  struct ConfGuard {
    sluice_conf_t* c;
    ~ConfGuard() { sluice_conf_destroy(c); }
  } conf_guard{conf};

  if (embedded) {
    if (opt.topic.empty()) opt.topic = "demo";
    if (opt.group.empty()) opt.group = "sluice-demo";
    if (!opt.have_position)
      opt.settings.insert(opt.settings.begin(),
                          {"starting.position", "trim_horizon", "(embedded default)"});
    if (opt.idle_exit_ms < 0) opt.idle_exit_ms = 10000;  // a safety net; see docs/CLI.md
  }
  std::vector<Setting> settings = {{"topic", opt.topic, "--topic " + opt.topic},
                                   {"group.id", opt.group, "--group " + opt.group}};
  if (!embedded) settings.push_back({"bootstrap.servers", opt.bootstrap, "--bootstrap " + opt.bootstrap});
  settings.insert(settings.end(), opt.settings.begin(), opt.settings.end());
  for (const Setting& s : settings)
    if (int rc = apply(conf, s); rc >= 0) return rc;
  if (!opt.filters.empty())
    if (int rc = apply_filters(conf, opt.filters); rc >= 0) return rc;

  sluice_mock_cluster_t* cluster = nullptr;
  struct ClusterGuard {
    sluice_mock_cluster_t** c;
    ~ClusterGuard() { sluice_mock_cluster_destroy(*c); }
  } cluster_guard{&cluster};
  sluice_cli::DemoCounts demo;
  if (embedded) {
    std::fprintf(stderr,
                 "sluice: no --bootstrap: starting an embedded mock Kafka cluster with topic "
                 "'%s' (%" PRId64 " partitions)\n",
                 opt.topic.c_str(), opt.demo_partitions);
    auto t0 = Clock::now();
    if (sluice_error_t* e = sluice_cli::start_demo(opt.topic, static_cast<int32_t>(opt.demo_partitions),
                                                   opt.demo_records, &cluster, &demo)) {
      report_error("starting the embedded cluster", e);
      return kExitFailure;
    }
    std::fprintf(stderr,
                 "sluice: produced %s records in %.2f s: %s with status \"ok\", %s \"error\", "
                 "%s tombstones, %s null keys\n",
                 fmt_count(demo.records).c_str(), seconds_since(t0), fmt_count(demo.ok).c_str(),
                 fmt_count(demo.error).c_str(), fmt_count(demo.tombstones).c_str(),
                 fmt_count(demo.null_keys).c_str());
    if (int rc = apply(conf, {"bootstrap.servers", sluice_mock_cluster_bootstraps(cluster),
                              "(embedded cluster)"});
        rc >= 0)
      return rc;
  }

  Host host;
  host.exec = opt.exec;
  host.base_env = environment_without_ours();
  host.term.live = opt.progress && ::isatty(STDERR_FILENO);
  if (sluice_error_t* e = sluice_conf_set_handler(conf, &handle_batch, &host)) {
    report_error("setting the handler", e);
    return kExitFailure;
  }

  const auto start = Clock::now();
  sluice_engine_t* engine = nullptr;
  if (sluice_error_t* e = sluice_engine_new(conf, &engine)) {
    sluice_code_t code = sluice_error_code(e);
    bool config_error = code == SLUICE_ERR_INVALID_VALUE || code == SLUICE_ERR_UNKNOWN_KEY ||
                        code == SLUICE_ERR_INVALID_PATTERN;
    const char* key = sluice_error_key(e);
    std::fprintf(stderr, "sluice run: %s%s%s\n", key && *key ? key : "", key && *key ? ": " : "",
                 sluice_error_message(e));
    sluice_error_destroy(e);
    return config_error ? kExitUsage : kExitFailure;
  }
  std::fprintf(stderr, "sluice: consuming '%s' as group '%s' from %s\n", opt.topic.c_str(),
               opt.group.c_str(), embedded ? "the embedded cluster" : opt.bootstrap.c_str());

  // ---- the main loop: signals, stop conditions, progress --------------------
  const auto tick = std::chrono::milliseconds(100);
  const auto refresh = host.term.live ? std::chrono::milliseconds(500) : std::chrono::milliseconds(5000);
  auto last_activity = start, last_refresh = start;
  int64_t seen_polled = 0, seen_ok = 0, rate_base = 0;
  std::string seen_error;
  std::string stop_reason;
  bool stopping = false;
  bool not_all_processed = false;
  Clock::time_point stop_begin;
  std::atomic<bool> stop_done{false};
  sluice_error_t* stop_error = nullptr;
  std::thread stopper;
  int terminated_children = 0;

  auto begin_stop = [&](std::string why) {
    stopping = true;
    host.stopping = true;
    stop_reason = std::move(why);
    stop_begin = Clock::now();
    stopper = std::thread([&] {
      stop_error = sluice_engine_stop(engine, static_cast<int32_t>(opt.stop_timeout_ms));
      stop_done = true;
    });
  };

  for (;;) {
    timespec ts{0, std::chrono::duration_cast<std::chrono::nanoseconds>(tick).count()};
    int sig = ::sigtimedwait(&sigs, nullptr, &ts);
    if (sig > 0) {
      std::lock_guard<std::mutex> g(host.term.mu);
      host.term.clear_locked();
      if (!stopping) {
        std::fprintf(stderr, "sluice: %s: stopping (again to exit at once)\n",
                     sig == SIGINT ? "interrupted" : "terminated");
        begin_stop(sig == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)");
      } else {
        size_t n = host.children.signal_all(SIGTERM);
        std::fprintf(stderr, "sluice: exiting now%s; unacknowledged batches will be delivered again\n",
                     n ? " (terminated the running commands)" : "");
        std::_Exit(kExitInterrupted);
      }
    }
    if (stopping) {
      if (stop_done) break;
      // Commands outliving the stop timeout: ask them to end, then insist.
      double over = seconds_since(stop_begin) - static_cast<double>(opt.stop_timeout_ms) / 1000;
      if ((over > 0.5 && terminated_children == 0) || (over > 5 && terminated_children == 1)) {
        int s = terminated_children == 0 ? SIGTERM : SIGKILL;
        if (size_t n = host.children.signal_all(s)) {
          std::lock_guard<std::mutex> g(host.term.mu);
          host.term.clear_locked();
          std::fprintf(stderr, "sluice: stop timeout: sent %s to %zu running command(s)\n",
                       s == SIGTERM ? "SIGTERM" : "SIGKILL", n);
        }
        ++terminated_children;
      }
      continue;
    }

    const auto now = Clock::now();
    Snapshot s = snapshot(engine);
    const int64_t ok = host.records_ok;
    if (s.polled != seen_polled || ok != seen_ok) last_activity = now;
    seen_polled = s.polled;
    seen_ok = ok;
    if (!s.last_error.empty() && s.last_error != seen_error) {
      std::lock_guard<std::mutex> g(host.term.mu);
      host.term.clear_locked();
      std::fprintf(stderr, "sluice: kafka: %s\n", s.last_error.c_str());
      seen_error = s.last_error;
    }

    if (opt.max_records > 0 && ok >= opt.max_records) {
      begin_stop("--max-records " + fmt_count(opt.max_records) + " reached");
    } else if (embedded && ok + s.filtered >= demo.records) {
      begin_stop("all " + fmt_count(demo.records) + " demo records processed");
    } else if (host.stdout_broken) {
      begin_stop("stdout closed");
    } else if (opt.idle_exit_ms > 0 &&
               now - last_activity >= std::chrono::milliseconds(opt.idle_exit_ms)) {
      begin_stop("no new records for " + fmt_count(opt.idle_exit_ms) + " ms");
      if (embedded) not_all_processed = true;
    }
    if (stopping) continue;

    if (opt.progress && now - last_refresh >= refresh) {
      double dt = std::chrono::duration<double>(now - last_refresh).count();
      double rate = static_cast<double>(ok - rate_base) / dt;
      rate_base = ok;
      last_refresh = now;
      std::string line = progress_line(host, s, seconds_since(start), rate);
      std::lock_guard<std::mutex> g(host.term.mu);
      if (host.term.live) {
        std::fprintf(stderr, "\r\033[K%s", line.c_str());
        host.term.line_shown = true;
      } else {
        std::fprintf(stderr, "%s\n", line.c_str());
      }
      std::fflush(stderr);
    }
  }
  stopper.join();
  const double elapsed = seconds_since(start);

  // ---- the summary ------------------------------------------------------------
  int rc = kExitOk;
  std::string raw;
  Snapshot s = snapshot(engine, &raw);
  {
    std::lock_guard<std::mutex> g(host.term.mu);
    host.term.clear_locked();
  }
  if (stop_error) {
    if (sluice_error_code(stop_error) == SLUICE_ERR_TIMEOUT) {
      std::fprintf(stderr, "sluice: stop timed out after %" PRId64 " ms: %s\n", opt.stop_timeout_ms,
                   sluice_error_message(stop_error));
    } else {
      std::fprintf(stderr, "sluice: stop failed: %s\n", sluice_error_message(stop_error));
    }
    sluice_error_destroy(stop_error);
    rc = kExitFailure;
  }
  const int64_t ok = host.records_ok;
  std::fprintf(stderr, "sluice: stopped: %s\n", stop_reason.c_str());
  std::fprintf(stderr, "  records    %s handled, %s filtered out, %s polled\n", fmt_count(ok).c_str(),
               fmt_count(s.filtered).c_str(), fmt_count(s.polled).c_str());
  std::fprintf(stderr, "  batches    %s succeeded, %s failed attempts\n",
               fmt_count(host.batches_ok).c_str(), fmt_count(host.batches_failed).c_str());
  std::fprintf(stderr, "  elapsed    %.2f s (%s records/s handled, %.1f MB of events)\n", elapsed,
               fmt_count(static_cast<int64_t>(static_cast<double>(ok) / (elapsed > 0 ? elapsed : 1)))
                   .c_str(),
               static_cast<double>(host.event_bytes) / 1e6);
  std::fprintf(stderr, "  committed  %s records (handled and filtered out)\n",
               fmt_count(s.committed).c_str());
  if (opt.print_stats) std::fprintf(stderr, "%s\n", raw.c_str());
  if (not_all_processed) {
    std::fprintf(stderr, "sluice: only %s of the %s demo records were processed\n",
                 fmt_count(ok + s.filtered).c_str(), fmt_count(demo.records).c_str());
    rc = kExitFailure;
  } else if (embedded && s.committed < demo.records) {
    // The demo's promise is at-least-once with a commit after success: check it.
    std::fprintf(stderr, "sluice: only %s of the %s demo records were committed\n",
                 fmt_count(s.committed).c_str(), fmt_count(demo.records).c_str());
    rc = kExitFailure;
  }
  sluice_engine_destroy(engine);
  return rc;
}
