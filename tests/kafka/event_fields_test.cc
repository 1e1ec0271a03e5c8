// The event JSON, field by field, for known records that went through a real
// broker: null key, empty value, tombstone, binary header bytes >= 128 (signed
// in the event), duplicate header names, a topic name with '-', both event
// sources. Also the zero-copy record views of the same batch.
#include <chrono>

#include "support/capi_helpers.h"
#include "support/test_support.h"

namespace sluice::testing {
namespace {

class EventFields : public KafkaTest {
 protected:
  SeenBatch first_batch(const std::map<std::string, std::string>& extra, size_t n,
                        std::vector<sluice_record_t>* views = nullptr,
                        std::vector<std::string>* header_dump = nullptr) {
    std::map<std::string, std::string> s = {{"bootstrap.servers", bootstrap_},
                                            {"topic", topic_},
                                            {"group.id", unique_name("ev")},
                                            {"starting.position", "trim_horizon"},
                                            {"batch.window.ms", "1000"}};
    for (auto& [k, v] : extra) s[k] = v;
    ConfPtr conf = make_conf(s);
    sluice_engine_t* raw = nullptr;
    sluice_error_t* err = sluice_engine_new(conf.get(), &raw);
    EXPECT_EQ(err, nullptr) << sluice_error_message(err);
    EnginePtr e(raw);
    SeenBatch out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      sluice_batch_t* b = nullptr;
      ErrorPtr pe(sluice_engine_poll(e.get(), 200, &b));
      if (!b) continue;
      BatchPtr bp(b);
      out = copy_batch(b, true);
      EXPECT_EQ(out.offsets.size(), n);
      EXPECT_STREQ(sluice_batch_topic(b), topic_.c_str());
      if (views) {
        const sluice_record_t* r;
        uint64_t cnt;
        ErrorPtr re(sluice_batch_records(b, &r, &cnt));
        views->assign(r, r + cnt);
        const sluice_header_t* h;
        uint64_t hc;
        ErrorPtr he(sluice_batch_headers(b, &h, &hc));
        for (uint64_t i = 0; i < cnt; ++i)
          for (uint32_t j = r[i].header_first; j < r[i].header_first + r[i].header_count; ++j)
            header_dump->push_back(std::to_string(i) + ":" + std::string(h[j].name, h[j].name_len) +
                                   "=" + (h[j].value ? std::to_string(h[j].value_len) : "null"));
        // The views stay valid only while the batch lives: null them out here.
        for (auto& v : *views) v.key = v.value = nullptr;
      }
      ErrorPtr ae(sluice_batch_ack(b));
      break;
    }
    return out;
  }
  std::string topic_;
};

TEST_F(EventFields, ExactEventForKnownRecords) {
  topic_ = unique_name("my-topic");  // has '-': the key is split at the last one
  SLUICE_ASSERT_OK(sluice_topic_create(bootstrap_.c_str(), topic_.c_str(), 1, 30000));
  produce(bootstrap_, topic_, 0,
          {TestRecord{std::nullopt, std::string("Hello, this is a test."), {}},
           TestRecord{std::string("key-1"), std::string(""), {{"headerKey", std::string("headerValue")}}},
           TestRecord{std::string("k"), std::nullopt, {}},  // tombstone
           TestRecord{std::string(""), std::string("\x01\x80\xff", 3),
                      {{"b", std::string("\x80\xff\x7f\x00", 4)}, {"b", std::string("")}, {"n", std::nullopt}}}});
  std::vector<sluice_record_t> views;
  std::vector<std::string> hdrs;
  SeenBatch b = first_batch({}, 4, &views, &hdrs);
  ASSERT_EQ(b.offsets.size(), 4u);

  // Timestamps come from the broker: take them from the views.
  auto ts = [&](int i) { return std::to_string(views[i].timestamp); };
  const std::string t = topic_;
  std::string expected =
      R"({"eventSource":"SelfManagedKafka","bootstrapServers":")" + bootstrap_ +
      R"(","records":{")" + t + R"(-0":[)" +
      R"({"topic":")" + t + R"(","partition":0,"offset":0,"timestamp":)" + ts(0) +
      R"(,"timestampType":"CREATE_TIME","value":"SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==","headers":[]},)" +
      R"({"topic":")" + t + R"(","partition":0,"offset":1,"timestamp":)" + ts(1) +
      R"(,"timestampType":"CREATE_TIME","key":"a2V5LTE=","value":"","headers":[{"headerKey":[104,101,97,100,101,114,86,97,108,117,101]}]},)" +
      R"({"topic":")" + t + R"(","partition":0,"offset":2,"timestamp":)" + ts(2) +
      R"(,"timestampType":"CREATE_TIME","key":"aw==","headers":[]},)" +
      R"({"topic":")" + t + R"(","partition":0,"offset":3,"timestamp":)" + ts(3) +
      R"(,"timestampType":"CREATE_TIME","key":"","value":"AYD/","headers":[{"b":[-128,-1,127,0]},{"b":[]},{"n":[]}]}]}})";
  EXPECT_EQ(b.event, expected);

  // The views: null key vs empty key, null value vs empty value, headers in order.
  EXPECT_EQ(views[0].key_len, 0u);
  EXPECT_EQ(views[0].timestamp_type, SLUICE_TIMESTAMP_CREATE_TIME);
  EXPECT_GT(views[0].timestamp, 1600000000000);
  EXPECT_EQ(views[1].value_len, 0u);
  EXPECT_EQ(views[2].value_len, 0u);
  EXPECT_EQ(b.values[2], "<null>");
  EXPECT_EQ(b.values[1], "");
  EXPECT_EQ(hdrs, (std::vector<std::string>{"1:headerKey=11", "3:b=4", "3:b=0", "3:n=null"}));
}

TEST_F(EventFields, AwsKafkaSourceWritesArn) {
  topic_ = unique_name("arn");
  SLUICE_ASSERT_OK(sluice_topic_create(bootstrap_.c_str(), topic_.c_str(), 1, 30000));
  produce(bootstrap_, topic_, 0, {TestRecord{std::string("a"), std::string("b"), {}}});
  const std::string arn =
      "arn:aws:kafka:us-east-1:123456789012:cluster/demo/751d2973-a626-431c-9d4e-d7975eb44dd7-2";
  SeenBatch b = first_batch({{"event.source", "aws:kafka"},
                             {"event.source.arn", arn},
                             {"event.bootstrap.servers", "b-1.demo:9092,b-2.demo:9092"}},
                            1);
  const std::string prefix = R"({"eventSource":"aws:kafka","eventSourceArn":")" + arn +
                             R"(","bootstrapServers":"b-1.demo:9092,b-2.demo:9092","records":{")" +
                             topic_ + R"(-0":[{"topic":")";
  EXPECT_EQ(b.event.substr(0, prefix.size()), prefix);
}

}  // namespace
}  // namespace sluice::testing
