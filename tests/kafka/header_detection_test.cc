// Headers through a real broker, for every compression codec: the engine's
// shortcut for records without headers (core/engine/headers.h) must hold on
// the messages librdkafka really hands out, and never lose a header.
// Records mix: headers or none, null key, null value, empty value, a value
// of zero bytes 70 KB long, binary header values.
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/headers.h"
#include "kafka/raw_consumer.h"
#include "support/capi_helpers.h"
#include "support/test_support.h"

namespace sluice::testing {
namespace {

constexpr int kRecords = 240;

// Record i of the mix, as produced and as the engine must show it.
TestRecord record(int64_t i) {
  switch (i % 6) {
    case 0: return {std::string("k"), std::string(100, 'a'), {}};
    case 1: return {std::nullopt, std::string(200, 'b'), {{"a", std::string("x")}}};
    case 2: return {std::string("k"), std::nullopt, {}};
    case 3: return {std::string(""), std::string(""), {{"h", std::nullopt}}};
    case 4: return {std::string("k"), std::string(70000, '\0'), {}};
    default:
      return {std::string("k"), std::string("v"),
              {{"bin", std::string("\x00\x80\xff", 3)}, {"bin", std::string("")}, {"z", std::string("1")}}};
  }
}

class HeaderDetection : public KafkaTest, public ::testing::WithParamInterface<const char*> {
 protected:
  // Produces the mix with the codec in producer batches of many records.
  void produce_mix(const std::string& topic) {
    char err[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    ASSERT_EQ(rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap_.c_str(), err, sizeof err), RD_KAFKA_CONF_OK);
    ASSERT_EQ(rd_kafka_conf_set(conf, "compression.type", GetParam(), err, sizeof err), RD_KAFKA_CONF_OK) << err;
    ASSERT_EQ(rd_kafka_conf_set(conf, "linger.ms", "50", err, sizeof err), RD_KAFKA_CONF_OK);
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    ASSERT_NE(rk, nullptr) << err;
    for (int i = 0; i < kRecords; ++i) {
      TestRecord r = record(i);
      rd_kafka_headers_t* hs = rd_kafka_headers_new(r.headers.size());
      for (const auto& [name, val] : r.headers)
        rd_kafka_header_add(hs, name.data(), static_cast<ssize_t>(name.size()), val ? val->data() : nullptr,
                            val ? static_cast<ssize_t>(val->size()) : 0);
      const char* key = r.key ? r.key->data() : nullptr;
      const size_t key_len = r.key ? r.key->size() : 0;
      char* value = r.value ? r.value->data() : nullptr;
      const size_t value_len = r.value ? r.value->size() : 0;
      rd_kafka_resp_err_t e = rd_kafka_producev(
          rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_VALUE(value, value_len), RD_KAFKA_V_HEADERS(hs),
          RD_KAFKA_V_END);
      ASSERT_EQ(e, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(e);
    }
    ASSERT_EQ(rd_kafka_flush(rk, 30000), RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_destroy(rk);
  }
};

// The shortcut itself, on every message a plain consumer gets: it may say
// "no headers" only for records that have none, and it must say so for the
// plain ones (or the engine gains nothing).
TEST_P(HeaderDetection, ShortcutHoldsOnRealMessages) {
  const std::string topic = unique_name(std::string("hdr-") + GetParam());
  SLUICE_ASSERT_OK(sluice_topic_create(bootstrap_.c_str(), topic.c_str(), 1, 30000));
  produce_mix(topic);

  rd_kafka_t* rk = raw_consumer_from_start(bootstrap_, unique_name("hdr-group"), topic, 1);
  ASSERT_NE(rk, nullptr);

  int seen = 0, shortcuts = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (seen < kRecords && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 200);
    if (!m) continue;
    if (!m->err) {
      const TestRecord want = record(m->offset);
      const bool sure = sluice::engine::surely_headerless(m);
      if (sure) shortcuts++;
      if (!want.headers.empty()) {
        EXPECT_FALSE(sure) << "offset " << m->offset << " has headers";
      }
      if (want.headers.empty() && want.value && !want.value->empty()) {
        EXPECT_TRUE(sure) << "offset " << m->offset << ": plain record not recognised";
      }
      std::vector<sluice_header_t> got;
      sluice::engine::read_headers(m, got);
      ASSERT_EQ(got.size(), want.headers.size()) << "offset " << m->offset;
      for (size_t j = 0; j < got.size(); ++j) {
        EXPECT_EQ(std::string(got[j].name, got[j].name_len), want.headers[j].first);
        ASSERT_EQ(got[j].value != nullptr, want.headers[j].second.has_value());
        if (got[j].value) {
          EXPECT_EQ(std::string(reinterpret_cast<const char*>(got[j].value), got[j].value_len),
                    *want.headers[j].second);
        }
      }
      seen++;
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  EXPECT_EQ(seen, kRecords);
  EXPECT_EQ(shortcuts, kRecords / 3);  // offsets 0 and 4 of every 6 (case 2 has a null value)
}

// The same records through the engine: every header in the views, in order.
TEST_P(HeaderDetection, EngineDeliversEveryHeader) {
  const std::string topic = unique_name(std::string("hdr-engine-") + GetParam());
  SLUICE_ASSERT_OK(sluice_topic_create(bootstrap_.c_str(), topic.c_str(), 1, 30000));
  produce_mix(topic);
  ConfPtr conf = make_conf({{"bootstrap.servers", bootstrap_},
                            {"topic", topic},
                            {"group.id", unique_name("hdr-engine")},
                            {"starting.position", "trim_horizon"},
                            {"batch.size", "50"},
                            {"batch.window.ms", "100"}});
  sluice_engine_t* raw = nullptr;
  SLUICE_ASSERT_OK(sluice_engine_new(conf.get(), &raw));
  EnginePtr e(raw);
  int seen = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (seen < kRecords && std::chrono::steady_clock::now() < deadline) {
    sluice_batch_t* b = nullptr;
    ErrorPtr pe(sluice_engine_poll(e.get(), 200, &b));
    if (!b) continue;
    BatchPtr bp(b);
    const sluice_record_t* r;
    uint64_t n;
    const sluice_header_t* h;
    uint64_t hn;
    SLUICE_ASSERT_OK(sluice_batch_records(b, &r, &n));
    SLUICE_ASSERT_OK(sluice_batch_headers(b, &h, &hn));
    for (uint64_t i = 0; i < n; ++i, ++seen) {
      ASSERT_EQ(r[i].offset, seen);
      const TestRecord want = record(seen);
      ASSERT_EQ(r[i].header_count, want.headers.size()) << "offset " << seen;
      for (uint32_t j = 0; j < r[i].header_count; ++j) {
        const sluice_header_t& got = h[r[i].header_first + j];
        EXPECT_EQ(std::string(got.name, got.name_len), want.headers[j].first);
        ASSERT_EQ(got.value != nullptr, want.headers[j].second.has_value());
        if (got.value) {
          EXPECT_EQ(std::string(reinterpret_cast<const char*>(got.value), got.value_len),
                    *want.headers[j].second);
        }
      }
    }
    SLUICE_ASSERT_OK(sluice_batch_ack(b));
  }
  EXPECT_EQ(seen, kRecords);
}

INSTANTIATE_TEST_SUITE_P(Codecs, HeaderDetection, ::testing::Values("none", "gzip", "snappy", "lz4", "zstd"),
                         [](const auto& codec) { return std::string(codec.param); });

}  // namespace
}  // namespace sluice::testing
