#include "support/capi_helpers.h"

#include <chrono>

namespace sluice::testing {

std::string expect_error(sluice_error_t* err, sluice_code_t code) {
  ErrorPtr e(err);
  EXPECT_NE(err, nullptr) << "expected " << sluice_code_name(code) << ", got success";
  if (!err) return {};
  EXPECT_EQ(sluice_error_code(err), code)
      << sluice_code_name(sluice_error_code(err)) << ": " << sluice_error_message(err);
  return sluice_error_message(err);
}

ConfPtr make_conf(const std::map<std::string, std::string>& settings) {
  sluice_conf_t* c = nullptr;
  ErrorPtr e(sluice_conf_new(&c));
  EXPECT_EQ(e, nullptr);
  ConfPtr conf(c);
  for (const auto& [k, v] : settings) {
    ErrorPtr err(sluice_conf_set(c, k.c_str(), v.c_str()));
    EXPECT_EQ(err, nullptr) << k << "=" << v << ": " << sluice_error_message(err.get());
  }
  return conf;
}

void produce(const std::string& bootstrap, const std::string& topic, int32_t partition,
             const std::vector<TestRecord>& records) {
  sluice_producer_t* p = nullptr;
  ErrorPtr e(sluice_producer_new(bootstrap.c_str(), &p));
  ASSERT_EQ(e, nullptr) << sluice_error_message(e.get());
  for (const auto& r : records) {
    std::vector<sluice_header_t> hs;
    for (const auto& [name, val] : r.headers)
      hs.push_back(sluice_header_t{name.data(),
                                   val ? reinterpret_cast<const uint8_t*>(val->data()) : nullptr,
                                   static_cast<uint32_t>(name.size()),
                                   val ? static_cast<uint32_t>(val->size()) : 0});
    ErrorPtr se(sluice_producer_send(
        p, topic.c_str(), partition,
        r.key ? reinterpret_cast<const uint8_t*>(r.key->data()) : nullptr,
        r.key ? static_cast<uint32_t>(r.key->size()) : 0,
        r.value ? reinterpret_cast<const uint8_t*>(r.value->data()) : nullptr,
        r.value ? static_cast<uint32_t>(r.value->size()) : 0, hs.data(),
        static_cast<uint32_t>(hs.size()), 0));
    ASSERT_EQ(se, nullptr) << sluice_error_message(se.get());
  }
  ErrorPtr fe(sluice_producer_flush(p, 30000));
  EXPECT_EQ(fe, nullptr) << sluice_error_message(fe.get());
  sluice_producer_destroy(p);
}

void produce_numbered(const std::string& bootstrap, const std::string& topic, int32_t partitions,
                      int n_per_partition, size_t value_size) {
  for (int32_t part = 0; part < partitions; ++part) {
    std::vector<TestRecord> rs;
    rs.reserve(n_per_partition);
    for (int i = 0; i < n_per_partition; ++i) {
      std::string v = "value-" + std::to_string(part) + "-" + std::to_string(i);
      if (v.size() < value_size) v.resize(value_size, 'x');
      rs.push_back(TestRecord{"key-" + std::to_string(i), v, {}});
    }
    produce(bootstrap, topic, part, rs);
  }
}

SeenBatch copy_batch(const sluice_batch_t* b, bool with_event) {
  SeenBatch s;
  s.partition = sluice_batch_partition(b);
  s.attempt = sluice_batch_attempt(b);
  s.flags = sluice_batch_flags(b);
  const sluice_record_t* recs = nullptr;
  uint64_t n = 0;
  ErrorPtr e(sluice_batch_records(b, &recs, &n));
  EXPECT_EQ(e, nullptr);
  for (uint64_t i = 0; i < n; ++i) {
    s.offsets.push_back(recs[i].offset);
    s.values.push_back(recs[i].value ? std::string(reinterpret_cast<const char*>(recs[i].value),
                                                   recs[i].value_len)
                                     : std::string("<null>"));
  }
  if (with_event) {
    const uint8_t* data = nullptr;
    uint64_t len = 0;
    ErrorPtr ee(sluice_batch_event(b, &data, &len));
    EXPECT_EQ(ee, nullptr) << sluice_error_message(ee.get());
    if (!ee) s.event.assign(reinterpret_cast<const char*>(data), len);
  }
  return s;
}

std::vector<SeenBatch> pull_until(sluice_engine_t* e, size_t records, int timeout_ms,
                                  const std::function<bool(const SeenBatch&)>& ack,
                                  bool with_event) {
  std::vector<SeenBatch> seen;
  size_t got = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (got < records && std::chrono::steady_clock::now() < deadline) {
    sluice_batch_t* raw = nullptr;
    ErrorPtr err(sluice_engine_poll(e, 200, &raw));
    EXPECT_EQ(err, nullptr) << sluice_error_message(err.get());
    if (err) break;
    if (!raw) continue;
    BatchPtr b(raw);
    SeenBatch s = copy_batch(raw, with_event);
    bool ok = ack ? ack(s) : true;
    ErrorPtr ce(ok ? sluice_batch_ack(raw) : sluice_batch_fail(raw));
    EXPECT_EQ(ce, nullptr) << sluice_error_message(ce.get());
    if (ok) got += s.offsets.size();
    seen.push_back(std::move(s));
  }
  return seen;
}

std::string engine_stats(sluice_engine_t* e) {
  char* s = nullptr;
  uint64_t len = 0;
  ErrorPtr err(sluice_engine_stats(e, &s, &len));
  EXPECT_EQ(err, nullptr) << sluice_error_message(err.get());
  std::string out(s ? s : "", len);
  sluice_free(s);
  return out;
}

int64_t stat_number(const std::string& stats_json, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  auto i = stats_json.find(needle);
  return i == std::string::npos ? -1 : std::stoll(stats_json.substr(i + needle.size()));
}

size_t record_count(const std::vector<SeenBatch>& batches) {
  size_t n = 0;
  for (const auto& b : batches) n += b.offsets.size();
  return n;
}

}  // namespace sluice::testing
