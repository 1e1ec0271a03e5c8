#include "core/config/config.h"

#include <librdkafka/rdkafka.h>

#include <charconv>
#include <sstream>

namespace sluice::filter {
// Defined in core/filter/ (the pattern compiler).
Status compile(std::string_view patterns_json, std::shared_ptr<const Filter>* out);
}  // namespace sluice::filter

namespace sluice::config {

namespace {

constexpr int64_t kMaxInt = INT64_MAX;

std::vector<KeyInfo> make_keys() {
  return {
      {"bootstrap.servers", Type::kString, "", 1, 65535, {},
       "Kafka brokers to bootstrap from, comma-separated host:port.", true},
      {"topic", Type::kString, "", 1, 249, {},
       "The one topic to consume (like an ESM, one topic per engine).", true},
      {"group.id", Type::kString, "", 1, 200, {},
       "Consumer group id (ESM ConsumerGroupId, 1..200 characters). Engines in several "
       "processes with the same group share the partitions.",
       true},
      {"starting.position", Type::kEnum, "latest", 0, 0, {"latest", "trim_horizon", "at_timestamp"},
       "Where to start in a partition the group has no committed offset for (ESM "
       "StartingPosition). Ignored once the group has committed offsets."},
      {"starting.position.timestamp", Type::kInt, "0", 0, kMaxInt, {},
       "Epoch milliseconds for starting.position=at_timestamp."},
      {"batch.size", Type::kInt, "100", 1, 10000, {},
       "Most records in one batch (ESM BatchSize)."},
      {"batch.window.ms", Type::kInt, "500", 0, 300000, {},
       "Longest a record waits for its batch to fill before the batch is handed out "
       "(ESM MaximumBatchingWindowInSeconds, in ms)."},
      {"batch.max.bytes", Type::kInt, "6291456", 1024, 268435456, {},
       "A batch is cut before its event JSON would pass this many bytes (Lambda's 6 MB "
       "payload limit). A single record whose event is larger is delivered alone, flagged "
       "SLUICE_BATCH_OVERSIZED."},
      {"max.concurrency", Type::kInt, "16", 1, 4096, {},
       "Most batches handed out at once, across partitions (one per partition at most). "
       "In push mode, the number of handler threads."},
      {"max.inflight.records", Type::kInt, "1000000", 1, 100000000, {},
       "Back-pressure: when this many records are fetched but not yet acknowledged, "
       "the partitions that hold them are held back until half as many are: their "
       "fetched messages wait in librdkafka, which stops fetching a held partition once "
       "it has kafka.queued.min.messages or kafka.queued.max.messages.kbytes of it. "
       "Memory: this bound plus that prefetch per held partition."},
      {"max.inflight.bytes", Type::kInt, "536870912", 1048576, kMaxInt, {},
       "Back-pressure: the same bound in bytes of keys, values and headers."},
      {"retry.backoff.ms", Type::kInt, "100", 0, 600000, {},
       "Backoff before a failed batch is offered again; doubles per attempt."},
      {"retry.backoff.max.ms", Type::kInt, "10000", 0, 600000, {},
       "Upper bound of the doubling retry backoff."},
      {"commit.interval.ms", Type::kInt, "250", 0, 60000, {},
       "Acknowledged offsets are committed asynchronously at most this often (coalesced "
       "per partition); 0 commits after every acknowledgement. Stop and revoke always "
       "commit synchronously. A crash can redeliver what was acknowledged in the last "
       "interval (at-least-once)."},
      {"revoke.timeout.ms", Type::kInt, "10000", 0, 600000, {},
       "On a rebalance, how long in-flight batches of revoked partitions may take to "
       "finish (and be committed) before the partitions are given up."},
      {"event.source", Type::kEnum, "SelfManagedKafka", 0, 0, {"SelfManagedKafka", "aws:kafka"},
       "The event's eventSource. aws:kafka (MSK) also writes eventSourceArn."},
      {"event.source.arn", Type::kString, "", 0, 2048, {},
       "The event's eventSourceArn; required with event.source=aws:kafka."},
      {"event.bootstrap.servers", Type::kString, "", 0, 65535, {},
       "The event's bootstrapServers; defaults to bootstrap.servers."},
      {"filter.patterns", Type::kPatterns, "", 0, 0, {},
       "ESM filter criteria: a JSON array of up to 10 patterns (objects, or strings holding "
       "one), ORed; records matching none are dropped before batching and their offsets "
       "committed. See docs/FILTERS.md."},
  };
}

Status parse_int(const KeyInfo& k, std::string_view v, int64_t* out) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || v.empty() || n < k.min || n > k.max) {
    std::ostringstream msg;
    msg << "invalid value '" << v << "' for " << k.name << ": expected an integer in "
        << k.min << ".." << k.max;
    return make_error(SLUICE_ERR_INVALID_VALUE, msg.str(), std::string(k.name));
  }
  *out = n;
  return {};
}

Status check_value(const KeyInfo& k, std::string_view v) {
  switch (k.type) {
    case Type::kInt: {
      int64_t n;
      return parse_int(k, v, &n);
    }
    case Type::kEnum: {
      for (auto a : k.allowed)
        if (a == v) return {};
      std::string msg = "invalid value '" + std::string(v) + "' for " + std::string(k.name) +
                        ": allowed values are";
      for (size_t i = 0; i < k.allowed.size(); ++i)
        msg += (i ? ", " : " ") + std::string(k.allowed[i]);
      return make_error(SLUICE_ERR_INVALID_VALUE, msg, std::string(k.name));
    }
    case Type::kString:
      if (static_cast<int64_t>(v.size()) < k.min || static_cast<int64_t>(v.size()) > k.max)
        return make_error(SLUICE_ERR_INVALID_VALUE,
                          "invalid value for " + std::string(k.name) + ": length must be " +
                              std::to_string(k.min) + ".." + std::to_string(k.max),
                          std::string(k.name));
      if (k.name == "topic") {
        for (char c : v)
          if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
            return make_error(SLUICE_ERR_INVALID_VALUE,
                              "invalid value '" + std::string(v) +
                                  "' for topic: Kafka topic names use only [a-zA-Z0-9._-]",
                              "topic");
      }
      return {};
    case Type::kPatterns:
      return {};  // compiled by the caller
  }
  return {};
}

}  // namespace

const std::vector<KeyInfo>& keys() {
  static const std::vector<KeyInfo> k = make_keys();
  return k;
}

const KeyInfo* find_key(std::string_view name) {
  for (const auto& k : keys())
    if (k.name == name) return &k;
  return nullptr;
}

const std::map<std::string_view, std::string_view>& reserved_kafka_keys() {
  static const std::map<std::string_view, std::string_view> m = {
      {"group.id", "group.id"},
      {"bootstrap.servers", "bootstrap.servers"},
      {"metadata.broker.list", "bootstrap.servers"},
      {"enable.auto.commit", "(none: sluice commits after acknowledgement)"},
      {"enable.auto.offset.store", "(none: sluice commits after acknowledgement)"},
      {"auto.offset.reset", "starting.position"},
      {"rebalance_cb", "(none)"},
      {"offset_commit_cb", "(none)"},
  };
  return m;
}

Status Config::set(std::string_view key, std::string_view value) {
  if (key.substr(0, 6) == "kafka.") {
    std::string rk(key.substr(6));
    if (auto it = reserved_kafka_keys().find(rk); it != reserved_kafka_keys().end())
      return make_error(SLUICE_ERR_INVALID_VALUE,
                        std::string(key) + " is set by sluice; use " + std::string(it->second),
                        std::string(key));
    // Validate now, with librdkafka's own rules, on a throwaway conf.
    rd_kafka_conf_t* scratch = rd_kafka_conf_new();
    char err[512] = "";
    std::string v(value);
    rd_kafka_conf_res_t res = rd_kafka_conf_set(scratch, rk.c_str(), v.c_str(), err, sizeof err);
    rd_kafka_conf_destroy(scratch);
    if (res == RD_KAFKA_CONF_UNKNOWN)
      return make_error(SLUICE_ERR_UNKNOWN_KEY,
                        "unknown key " + std::string(key) + ": librdkafka has no setting '" + rk +
                            "' (see librdkafka's CONFIGURATION.md)",
                        std::string(key));
    if (res != RD_KAFKA_CONF_OK)
      return make_error(SLUICE_ERR_INVALID_VALUE,
                        "invalid value for " + std::string(key) + ": " + err, std::string(key));
    for (auto& kv : kafka_)
      if (kv.first == rk) {
        kv.second = v;
        return {};
      }
    kafka_.emplace_back(rk, v);
    return {};
  }
  const KeyInfo* k = find_key(key);
  if (!k) {
    return make_error(SLUICE_ERR_UNKNOWN_KEY,
                      "unknown key '" + std::string(key) +
                          "' (sluice keys are listed in docs/CONFIGURATION.md; librdkafka "
                          "settings take the prefix 'kafka.')",
                      std::string(key));
  }
  if (auto st = check_value(*k, value); !st.ok()) return st;
  if (k->type == Type::kPatterns) {
    std::shared_ptr<const filter::Filter> f;
    if (!value.empty()) {
      Status st = filter::compile(value, &f);
      if (!st.ok()) {
        Error e = st.take();
        e.key = std::string(key);
        return e;
      }
    }
    filter_ = std::move(f);
  }
  values_[std::string(key)] = std::string(value);
  return {};
}

Status Config::get(std::string_view key, std::string* out) const {
  if (key.substr(0, 6) == "kafka.") {
    for (const auto& kv : kafka_)
      if (kv.first == key.substr(6)) {
        *out = kv.second;
        return {};
      }
    return make_error(SLUICE_ERR_UNKNOWN_KEY, "kafka setting " + std::string(key) + " is not set",
                      std::string(key));
  }
  const KeyInfo* k = find_key(key);
  if (!k)
    return make_error(SLUICE_ERR_UNKNOWN_KEY, "unknown key '" + std::string(key) + "'",
                      std::string(key));
  auto it = values_.find(key);
  *out = it != values_.end() ? it->second : std::string(k->default_value);
  return {};
}

int64_t Config::get_int(std::string_view key) const {
  std::string v;
  (void)get(key, &v).ok();
  int64_t n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

std::string Config::get_string(std::string_view key) const {
  std::string v;
  (void)get(key, &v).ok();
  return v;
}

Status Config::validate_for_engine() const {
  for (const auto& k : keys()) {
    if (k.required && get_string(k.name).empty())
      return make_error(SLUICE_ERR_INVALID_VALUE,
                        "missing required key " + std::string(k.name) + ": " + std::string(k.doc),
                        std::string(k.name));
  }
  if (get_string("event.source") == "aws:kafka" && get_string("event.source.arn").empty())
    return make_error(SLUICE_ERR_INVALID_VALUE,
                      "event.source.arn is required when event.source is aws:kafka",
                      "event.source.arn");
  if (get_string("starting.position") == "at_timestamp" &&
      get_int("starting.position.timestamp") <= 0)
    return make_error(SLUICE_ERR_INVALID_VALUE,
                      "starting.position.timestamp (epoch ms > 0) is required when "
                      "starting.position is at_timestamp",
                      "starting.position.timestamp");
  if (get_int("retry.backoff.max.ms") < get_int("retry.backoff.ms"))
    return make_error(SLUICE_ERR_INVALID_VALUE,
                      "retry.backoff.max.ms must be >= retry.backoff.ms", "retry.backoff.max.ms");
  if (get_int("max.inflight.records") < get_int("batch.size"))
    return make_error(SLUICE_ERR_INVALID_VALUE,
                      "max.inflight.records must be >= batch.size, or no batch could fill",
                      "max.inflight.records");
  return {};
}

std::string markdown() {
  std::ostringstream o;
  o << "# Configuration\n\n"
       "<!-- Generated from core/config/config.cc by the unit test Config.DocsAreCurrent "
       "(SLUICE_UPDATE_DOCS=1 build/bin/sluice_unit_tests --gtest_filter=Config.DocsAreCurrent); "
       "it fails when this file is stale. -->\n\n"
       "Set with `sluice_conf_set(conf, key, value)` (values are strings, validated when "
       "set). Any librdkafka consumer setting passes through with the prefix `kafka.` "
       "(e.g. `kafka.security.protocol=SASL_SSL`, `kafka.sasl.mechanism=SCRAM-SHA-512`), "
       "validated by librdkafka when set; the keys sluice manages itself are refused there.\n\n"
       "| key | type | range / values | default | description |\n"
       "|---|---|---|---|---|\n";
  for (const auto& k : keys()) {
    o << "| `" << k.name << "` | ";
    switch (k.type) {
      case Type::kInt: o << "integer | " << k.min << ".." << k.max; break;
      case Type::kEnum: {
        o << "enum | ";
        for (size_t i = 0; i < k.allowed.size(); ++i) o << (i ? ", " : "") << '`' << k.allowed[i] << '`';
        break;
      }
      case Type::kString: o << "string | length " << k.min << ".." << k.max; break;
      case Type::kPatterns: o << "JSON | up to 10 patterns, each <= 4096 bytes"; break;
    }
    o << " | " << (k.required ? "required" : k.default_value.empty() ? "(none)" : "`" + std::string(k.default_value) + "`")
      << " | " << k.doc << " |\n";
  }
  o << "\n## librdkafka keys sluice sets itself\n\n| `kafka.` key | use instead |\n|---|---|\n";
  for (const auto& [k, v] : reserved_kafka_keys()) o << "| `kafka." << k << "` | " << v << " |\n";
  return o.str();
}

}  // namespace sluice::config
