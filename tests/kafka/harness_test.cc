// Proves the test harness: the real broker is there, and records with keys,
// values and headers produced to a 4-partition topic all come back through a
// plain librdkafka consumer (no sluice engine involved).
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <map>
#include <set>

#include "kafka/raw_consumer.h"
#include "support/capi_helpers.h"
#include "support/test_support.h"

namespace sluice::testing {
namespace {

class Harness : public KafkaTest {};

TEST_F(Harness, ProduceAndConsumeBackEveryRecord) {
  const std::string topic = unique_name("harness");
  SLUICE_ASSERT_OK(sluice_topic_create(bootstrap_.c_str(), topic.c_str(), 4, 30000));
  constexpr int kPerPartition = 250;
  for (int32_t p = 0; p < 4; ++p) {
    std::vector<TestRecord> rs;
    for (int i = 0; i < kPerPartition; ++i)
      rs.push_back(TestRecord{"k" + std::to_string(i), "v" + std::to_string(p) + "-" + std::to_string(i),
                              {{"h1", std::string("\x00\xff", 2)}, {"h2", std::nullopt}}});
    produce(bootstrap_, topic, p, rs);
  }

  rd_kafka_t* rk = raw_consumer_from_start(bootstrap_, unique_name("harness-group"), topic, 4);
  ASSERT_NE(rk, nullptr);

  std::map<int32_t, std::set<int64_t>> seen;
  size_t total = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (total < 4 * kPerPartition && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 200);
    if (!m) continue;
    if (!m->err) {
      std::string key(static_cast<const char*>(m->key), m->key_len);
      std::string val(static_cast<const char*>(m->payload), m->len);
      EXPECT_EQ(val, "v" + std::to_string(m->partition) + "-" + std::to_string(m->offset));
      EXPECT_EQ(key, "k" + std::to_string(m->offset));
      rd_kafka_headers_t* hs = nullptr;
      ASSERT_EQ(rd_kafka_message_headers(m, &hs), RD_KAFKA_RESP_ERR_NO_ERROR);
      const void* hv;
      size_t hsize;
      ASSERT_EQ(rd_kafka_header_get_last(hs, "h1", &hv, &hsize), RD_KAFKA_RESP_ERR_NO_ERROR);
      EXPECT_EQ(std::string(static_cast<const char*>(hv), hsize), std::string("\x00\xff", 2));
      ASSERT_EQ(rd_kafka_header_get_last(hs, "h2", &hv, &hsize), RD_KAFKA_RESP_ERR_NO_ERROR);
      EXPECT_EQ(hv, nullptr);
      if (seen[m->partition].insert(m->offset).second) ++total;
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  ASSERT_EQ(total, 4u * kPerPartition);
  for (int32_t p = 0; p < 4; ++p) EXPECT_EQ(seen[p].size(), static_cast<size_t>(kPerPartition));
}

}  // namespace
}  // namespace sluice::testing
