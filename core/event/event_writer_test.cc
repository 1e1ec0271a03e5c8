// Tests for event_writer.h and json_escape.h: exact expected events, exact
// sizes on random batches, and a simdjson round trip of everything written.
#include "core/event/event_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/event/base64.h"
#include "core/event/json_escape.h"

namespace sluice::event {
namespace {

using Bytes = std::optional<std::string>;  // nullopt = null

struct Rec {
  int64_t offset = 0;
  int64_t timestamp = 0;
  int32_t timestamp_type = SLUICE_TIMESTAMP_CREATE_TIME;
  int32_t partition = 0;
  Bytes key;
  Bytes value;
  std::vector<std::pair<std::string, Bytes>> headers;
};

// Owns the storage behind the sluice_record_t / sluice_header_t views.
struct Batch {
  std::vector<Rec> recs;
  std::vector<sluice_record_t> records;
  std::vector<sluice_header_t> headers;

  explicit Batch(std::vector<Rec> in) : recs(std::move(in)) {
    for (const Rec& r : recs) {
      sluice_record_t v{};
      v.offset = r.offset;
      v.timestamp = r.timestamp;
      v.timestamp_type = r.timestamp_type;
      v.partition = r.partition;
      v.key = r.key ? reinterpret_cast<const uint8_t*>(r.key->data()) : nullptr;
      v.key_len = r.key ? static_cast<uint32_t>(r.key->size()) : 0;
      v.value = r.value ? reinterpret_cast<const uint8_t*>(r.value->data()) : nullptr;
      v.value_len = r.value ? static_cast<uint32_t>(r.value->size()) : 0;
      v.header_first = static_cast<uint32_t>(headers.size());
      v.header_count = static_cast<uint32_t>(r.headers.size());
      for (const auto& [name, val] : r.headers) {
        sluice_header_t h{};
        h.name = name.data();
        h.name_len = static_cast<uint32_t>(name.size());
        h.value = val ? reinterpret_cast<const uint8_t*>(val->data()) : nullptr;
        h.value_len = val ? static_cast<uint32_t>(val->size()) : 0;
        headers.push_back(h);
      }
      records.push_back(v);
    }
  }
  const sluice_header_t* hdrs() const { return headers.empty() ? nullptr : headers.data(); }
};

// Writes with guard bytes around the output and checks every size function.
std::string write_checked(const EventWriter& w, std::string_view topic, int32_t partition,
                          const Batch& b) {
  const size_t n = b.records.size();
  size_t want = w.envelope_size(topic, partition) + (n ? n - 1 : 0);
  const size_t tlen = EventWriter::escaped_topic_size(topic);
  for (const auto& r : b.records) {
    const size_t rs = w.record_size(topic, r, b.hdrs());
    EXPECT_EQ(rs, w.record_size(tlen, r, b.hdrs()));
    want += rs;
  }
  EXPECT_EQ(want, w.event_size(topic, partition, b.records.data(), n, b.hdrs()));
  std::vector<char> buf(want + 64, '#');
  const size_t got = w.write(buf.data() + 32, topic, partition, b.records.data(), n, b.hdrs());
  EXPECT_EQ(got, want);
  for (size_t i = 0; i < 32; ++i) EXPECT_EQ(buf[i], '#') << "underrun";
  for (size_t i = 32 + want; i < buf.size(); ++i) EXPECT_EQ(buf[i], '#') << "overrun";
  return std::string(buf.data() + 32, got);
}

const char* kArn =
    "arn:aws:kafka:us-east-1:123456789012:cluster/demo/751d2973-a626-431c-9d4e-d7975eb44dd7-2";
const char* kBootstrap =
    "b-2.demo.kafka.us-east-1.amazonaws.com:9092,b-1.demo.kafka.us-east-1.amazonaws.com:9092";

TEST(EventWriterTest, EsmExampleEvent) {
  EventWriter w({Source::kAwsKafka, kArn, kBootstrap});
  Rec r;
  r.offset = 15;
  r.timestamp = 1545084650987;
  r.key = "key-1";
  r.value = "Hello, this is a test.";
  r.headers = {{"headerKey", "headerValue"}};
  Batch b({r});
  EXPECT_EQ(write_checked(w, "mytopic", 0, b),
            std::string("{\"eventSource\":\"aws:kafka\",\"eventSourceArn\":\"") + kArn +
                "\",\"bootstrapServers\":\"" + kBootstrap +
                "\",\"records\":{\"mytopic-0\":[{\"topic\":\"mytopic\",\"partition\":0,"
                "\"offset\":15,\"timestamp\":1545084650987,\"timestampType\":\"CREATE_TIME\","
                "\"key\":\"a2V5LTE=\",\"value\":\"SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==\","
                "\"headers\":[{\"headerKey\":[104,101,97,100,101,114,86,97,108,117,101]}]}]}}");
}

TEST(EventWriterTest, EmptyEvent) {
  EventWriter aws({Source::kAwsKafka, "arn:x", "h:1"});
  EXPECT_EQ(write_checked(aws, "t", 7, Batch({})),
            "{\"eventSource\":\"aws:kafka\",\"eventSourceArn\":\"arn:x\",\"bootstrapServers\":"
            "\"h:1\",\"records\":{\"t-7\":[]}}");
  EventWriter smk({Source::kSelfManagedKafka, "ignored", "h:1"});
  EXPECT_EQ(write_checked(smk, "t", 7, Batch({})),
            "{\"eventSource\":\"SelfManagedKafka\",\"bootstrapServers\":\"h:1\",\"records\":{"
            "\"t-7\":[]}}");
}

TEST(EventWriterTest, NullsEmptiesTimestampTypesAndHeaderBytes) {
  EventWriter w({Source::kSelfManagedKafka, "", "localhost:9092"});
  Rec a;  // null key, empty value, log-append time, extreme offset, negative timestamp
  a.partition = 3;
  a.offset = INT64_MAX;
  a.timestamp = -5;
  a.timestamp_type = SLUICE_TIMESTAMP_LOG_APPEND_TIME;
  a.value = "";
  Rec t;  // tombstone with a key, no timestamp
  t.partition = 3;
  t.offset = 0;
  t.timestamp = -1;
  t.timestamp_type = SLUICE_TIMESTAMP_NONE;
  t.key = "k";
  Rec h;  // empty key, bytes >= 128, duplicate names, null and empty header values
  h.partition = 3;
  h.offset = 1;
  h.timestamp = 1700000000000;
  h.key = "";
  h.value = "v";
  h.headers = {{"h", std::string("\x00\x7f\x80\xff\x01", 5)}, {"h", std::nullopt}, {"e", ""},
               {"h", "A"}};
  Batch b({a, t, h});
  EXPECT_EQ(write_checked(w, "my-topic", 3, b),
            "{\"eventSource\":\"SelfManagedKafka\",\"bootstrapServers\":\"localhost:9092\","
            "\"records\":{\"my-topic-3\":["
            "{\"topic\":\"my-topic\",\"partition\":3,\"offset\":9223372036854775807,"
            "\"timestamp\":-5,\"timestampType\":\"LOG_APPEND_TIME\",\"value\":\"\","
            "\"headers\":[]},"
            "{\"topic\":\"my-topic\",\"partition\":3,\"offset\":0,\"timestamp\":-1,"
            "\"timestampType\":\"NO_TIMESTAMP_TYPE\",\"key\":\"aw==\",\"headers\":[]},"
            "{\"topic\":\"my-topic\",\"partition\":3,\"offset\":1,\"timestamp\":1700000000000,"
            "\"timestampType\":\"CREATE_TIME\",\"key\":\"\",\"value\":\"dg==\","
            "\"headers\":[{\"h\":[0,127,-128,-1,1]},{\"h\":[]},{\"e\":[]},{\"h\":[65]}]}"
            "]}}");
}

TEST(EventWriterTest, IntegerEdges) {
  EventWriter w({Source::kSelfManagedKafka, "", "b"});
  const int64_t values[] = {INT64_MIN, INT64_MIN + 1, -1000000000000000000, -10, -9, -1, 0, 9,
                            10, 99, 100, 999, 1000, 9999999999, 10000000000, INT64_MAX};
  for (int64_t v : values) {
    Rec r;
    r.partition = INT32_MIN;
    r.offset = v;
    r.timestamp = v;
    r.timestamp_type = 77;  // unknown -> NO_TIMESTAMP_TYPE
    const std::string s = write_checked(w, "t", INT32_MAX, Batch({r}));
    const std::string num = std::to_string(v);
    EXPECT_NE(s.find("\"t-2147483647\":[{\"topic\":\"t\",\"partition\":-2147483648,\"offset\":" +
                     num + ",\"timestamp\":" + num + ",\"timestampType\":\"NO_TIMESTAMP_TYPE\","),
              std::string::npos)
        << s;
  }
}

TEST(EventWriterTest, EscapesStrings) {
  EventWriter w({Source::kAwsKafka, "arn\"q\\", "h\n:1"});
  Rec r;
  r.headers = {{"a\"b", "x"},
               {"c\\d", std::nullopt},
               {std::string("\b\f\n\r\t\x01\x1f\x7f", 8), std::nullopt},
               {"\xff", std::nullopt},
               {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", std::nullopt},  // valid UTF-8
               {"\xe2\x82", std::nullopt},          // truncated sequence
               {"\xc0\x80", std::nullopt},          // overlong NUL
               {"\xed\xa0\x80", std::nullopt},      // surrogate
               {"\xf4\x90\x80\x80z", std::nullopt},  // above U+10FFFF
               {std::string("\x00", 1), std::nullopt}};
  Batch b({r});
  const std::string s = write_checked(w, "to\"pic", 0, b);
  EXPECT_EQ(s,
            "{\"eventSource\":\"aws:kafka\",\"eventSourceArn\":\"arn\\\"q\\\\\","
            "\"bootstrapServers\":\"h\\n:1\",\"records\":{\"to\\\"pic-0\":["
            "{\"topic\":\"to\\\"pic\",\"partition\":0,\"offset\":0,\"timestamp\":0,"
            "\"timestampType\":\"CREATE_TIME\",\"headers\":["
            "{\"a\\\"b\":[120]},{\"c\\\\d\":[]},"
            "{\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\":[]},"
            "{\"\\ufffd\":[]},"
            "{\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\":[]},"
            "{\"\\ufffd\\ufffd\":[]},"
            "{\"\\ufffd\\ufffd\":[]},"
            "{\"\\ufffd\\ufffd\\ufffd\":[]},"
            "{\"\\ufffd\\ufffd\\ufffd\\ufffdz\":[]},"
            "{\"\\u0000\":[]}"
            "]}]}}");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(s).get(doc), simdjson::SUCCESS);
}

TEST(EventWriterEscape, FastPathBoundaries) {
  // Special bytes at every position of and around the 8-byte fast path.
  for (size_t len = 0; len < 40; ++len) {
    for (size_t pos = 0; pos < len; ++pos) {
      for (char special : {'"', '\\', '\n', '\x1f', '\x80'}) {
        std::string s(len, 'a');
        s[pos] = special;
        std::string want(s.begin(), s.begin() + static_cast<ptrdiff_t>(pos));
        switch (special) {
          case '"': want += "\\\""; break;
          case '\\': want += "\\\\"; break;
          case '\n': want += "\\n"; break;
          case '\x1f': want += "\\u001f"; break;
          default: want += "\\ufffd"; break;
        }
        want.append(len - pos - 1, 'a');
        ASSERT_EQ(json_escape(s), want) << len << " " << pos << " " << int(special);
        ASSERT_EQ(json_escaped_size(s), want.size());
      }
    }
    const std::string plain(len, 'z');
    ASSERT_EQ(json_escape(plain), plain);
  }
  // A valid 4-byte sequence straddling the 8-byte chunks.
  for (size_t pos = 0; pos < 12; ++pos) {
    std::string s(pos, 'a');
    s += "\xf0\x9f\x98\x80";
    s += std::string(9, 'b');
    ASSERT_EQ(json_escape(s), s);
  }
}

// ---- random batches -------------------------------------------------------

// Independent reference for what a JSON string must decode to: the input
// with every byte that does not begin a well-formed UTF-8 sequence replaced
// by U+FFFD (decodes code points, unlike the table-driven writer).
std::string expected_text(const std::string& in) {
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    const auto c = static_cast<uint8_t>(in[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len != 0 && i + len <= in.size();
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (size_t k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<uint8_t>(in[i + k]);
      ok = (cc & 0xc0) == 0x80;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (ok) {
      const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= min[len] && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    }
    if (ok) {
      out.append(in, i, len);
      i += len;
    } else {
      out += "\xef\xbf\xbd";
      ++i;
    }
  }
  return out;
}

std::string random_string(std::mt19937_64& rng, size_t max_len) {
  std::string s(rng() % (max_len + 1), '\0');
  const int style = static_cast<int>(rng() % 4);
  for (auto& ch : s) {
    switch (style) {
      case 0: ch = static_cast<char>('a' + rng() % 26); break;         // plain
      case 1: ch = static_cast<char>(rng() % 128); break;              // ASCII incl. control
      case 2: ch = "ab\"\\\n\xc3\xa9\xe2\x82\xac"[rng() % 10]; break;  // escapes + UTF-8 bits
      default: ch = static_cast<char>(rng()); break;                   // any byte
    }
  }
  return s;
}

Bytes random_bytes(std::mt19937_64& rng, size_t max_len) {
  if (rng() % 8 == 0) return std::nullopt;
  const size_t len = rng() % 4 == 0 ? 0 : rng() % (max_len + 1);
  std::string s(len, '\0');
  for (auto& ch : s) ch = static_cast<char>(rng());
  return s;
}

int64_t random_int(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0: return static_cast<int64_t>(rng());                       // anything
    case 1: return static_cast<int64_t>(rng() % 2000) - 1000;        // small, signed
    case 2: return static_cast<int64_t>(rng() >> (rng() % 64));      // any magnitude
    default: return rng() % 2 ? INT64_MIN : INT64_MAX;
  }
}

std::string_view get_string(simdjson::simdjson_result<simdjson::dom::element> e) {
  std::string_view v;
  EXPECT_EQ(e.get(v), simdjson::SUCCESS);
  return v;
}

void check_parsed(const std::string& json, const EventWriter& w, const std::string& topic,
                  int32_t partition, const Batch& b) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  simdjson::dom::object obj;
  ASSERT_EQ(doc.get(obj), simdjson::SUCCESS);
  const bool aws = w.config().source == Source::kAwsKafka;
  ASSERT_EQ(obj.size(), aws ? 4u : 3u);
  EXPECT_EQ(get_string(obj["eventSource"]), aws ? "aws:kafka" : "SelfManagedKafka");
  if (aws) {
    EXPECT_EQ(get_string(obj["eventSourceArn"]), expected_text(w.config().event_source_arn));
  }
  EXPECT_EQ(get_string(obj["bootstrapServers"]), expected_text(w.config().bootstrap_servers));
  simdjson::dom::object recs;
  ASSERT_EQ(obj["records"].get(recs), simdjson::SUCCESS);
  ASSERT_EQ(recs.size(), 1u);
  const auto field = *recs.begin();
  EXPECT_EQ(field.key, expected_text(topic) + "-" + std::to_string(partition));
  simdjson::dom::array arr;
  ASSERT_EQ(field.value.get(arr), simdjson::SUCCESS);
  ASSERT_EQ(arr.size(), b.recs.size());
  size_t i = 0;
  for (simdjson::dom::element el : arr) {
    const Rec& r = b.recs[i++];
    simdjson::dom::object ro;
    ASSERT_EQ(el.get(ro), simdjson::SUCCESS);
    // Field order is part of the format.
    std::vector<std::string_view> keys;
    for (auto kv : ro) keys.push_back(kv.key);
    std::vector<std::string_view> want_keys = {"topic", "partition", "offset", "timestamp",
                                               "timestampType"};
    if (r.key) want_keys.push_back("key");
    if (r.value) want_keys.push_back("value");
    want_keys.push_back("headers");
    ASSERT_EQ(keys, want_keys);
    EXPECT_EQ(get_string(ro["topic"]), expected_text(topic));
    int64_t v = 0;
    ASSERT_EQ(ro["partition"].get(v), simdjson::SUCCESS);
    EXPECT_EQ(v, r.partition);
    ASSERT_EQ(ro["offset"].get(v), simdjson::SUCCESS);
    EXPECT_EQ(v, r.offset);
    ASSERT_EQ(ro["timestamp"].get(v), simdjson::SUCCESS);
    EXPECT_EQ(v, r.timestamp);
    const char* tt = r.timestamp_type == SLUICE_TIMESTAMP_CREATE_TIME       ? "CREATE_TIME"
                     : r.timestamp_type == SLUICE_TIMESTAMP_LOG_APPEND_TIME ? "LOG_APPEND_TIME"
                                                                            : "NO_TIMESTAMP_TYPE";
    EXPECT_EQ(get_string(ro["timestampType"]), tt);
    std::string decoded;
    if (r.key) {
      ASSERT_TRUE(base64_decode(get_string(ro["key"]), &decoded));
      EXPECT_EQ(decoded, *r.key);
    }
    if (r.value) {
      ASSERT_TRUE(base64_decode(get_string(ro["value"]), &decoded));
      EXPECT_EQ(decoded, *r.value);
    }
    simdjson::dom::array hs;
    ASSERT_EQ(ro["headers"].get(hs), simdjson::SUCCESS);
    ASSERT_EQ(hs.size(), r.headers.size());
    size_t k = 0;
    for (simdjson::dom::element he : hs) {
      const auto& [name, val] = r.headers[k++];
      simdjson::dom::object ho;
      ASSERT_EQ(he.get(ho), simdjson::SUCCESS);
      ASSERT_EQ(ho.size(), 1u);
      const auto kv = *ho.begin();
      EXPECT_EQ(kv.key, expected_text(name));
      simdjson::dom::array bytes;
      ASSERT_EQ(kv.value.get(bytes), simdjson::SUCCESS);
      std::string got;
      for (simdjson::dom::element be : bytes) {
        int64_t bv = 0;
        ASSERT_EQ(be.get(bv), simdjson::SUCCESS);
        ASSERT_GE(bv, -128);
        ASSERT_LE(bv, 127);
        got.push_back(static_cast<char>(static_cast<int8_t>(bv)));
      }
      EXPECT_EQ(got, val.value_or(""));
    }
  }
}

TEST(EventWriterTest, RandomBatchesExactSizesAndValidJson) {
  std::mt19937_64 rng(20240601);
  size_t total_records = 0;
  for (int batch = 0; batch < 300; ++batch) {
    EventConfig cfg;
    cfg.source = rng() % 2 ? Source::kAwsKafka : Source::kSelfManagedKafka;
    cfg.event_source_arn = random_string(rng, 40);
    cfg.bootstrap_servers = random_string(rng, 40);
    EventWriter w(cfg);
    const std::string topic = random_string(rng, 30);
    const auto partition = static_cast<int32_t>(rng() % 3 == 0 ? rng() : rng() % 64);
    std::vector<Rec> recs(rng() % 25);
    const size_t value_max = rng() % 2 ? 40 : 700;
    for (Rec& r : recs) {
      r.offset = random_int(rng);
      r.timestamp = random_int(rng);
      r.timestamp_type = static_cast<int32_t>(rng() % 4);
      r.partition = partition;
      r.key = random_bytes(rng, 40);
      r.value = random_bytes(rng, value_max);
      r.headers.resize(rng() % 3 == 0 ? rng() % 6 : 0);
      for (auto& [name, val] : r.headers) {
        name = random_string(rng, 12);
        val = random_bytes(rng, 20);
      }
    }
    total_records += recs.size();
    Batch b(std::move(recs));
    const std::string json = write_checked(w, topic, partition, b);
    check_parsed(json, w, topic, partition, b);
    if (::testing::Test::HasFailure()) {
      FAIL() << "batch " << batch << ": " << json;
    }
  }
  EXPECT_GT(total_records, 3000u);
}

TEST(EventWriterTest, SameOutputWithEveryBase64Encoder) {
  std::mt19937_64 rng(7);
  EventWriter w({Source::kAwsKafka, kArn, kBootstrap});
  std::vector<Rec> recs(50);
  for (Rec& r : recs) {
    r.offset = random_int(rng);
    r.partition = 1;
    r.key = random_bytes(rng, 100);
    r.value = random_bytes(rng, 1000);
  }
  Batch b(std::move(recs));
  base64_set_impl_for_testing(Base64Impl::kScalar);
  const std::string scalar = write_checked(w, "topic", 1, b);
  check_parsed(scalar, w, "topic", 1, b);
  for (Base64Impl impl : {Base64Impl::kAvx2, Base64Impl::kAvx512, Base64Impl::kAuto}) {
    base64_set_impl_for_testing(impl);
    EXPECT_EQ(write_checked(w, "topic", 1, b), scalar) << static_cast<int>(impl);
  }
  base64_set_impl_for_testing(Base64Impl::kAuto);
}

}  // namespace
}  // namespace sluice::event
