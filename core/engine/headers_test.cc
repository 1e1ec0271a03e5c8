// surely_headerless() on records laid out byte for byte as Kafka's formats
// put them: v2 with and without headers, and v0/v1, where it must never say
// "no headers" by mistaking a 4-byte length for a varint (it may only fall
// back to librdkafka's parse). The real broker check, all compressions
// included, is tests/kafka/header_detection_test.cc.
#include "core/engine/headers.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace sluice::engine {
namespace {

void put_varint(std::vector<uint8_t>& out, int64_t v) {
  auto z = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  do {
    const auto low = static_cast<uint8_t>(z & 0x7f);
    z >>= 7;
    out.push_back(static_cast<uint8_t>(low | (z ? 0x80 : 0)));
  } while (z);
}

// A v2 record from the key on: keyLength, key, valueLength, value,
// headerCount, headers (name length, name, value length, value).
struct V2Record {
  std::vector<uint8_t> bytes;
  size_t value_at = 0;
};

V2Record v2(const std::string& key, const std::string& value, int headers) {
  V2Record r;
  r.bytes = {0x10, 0x00, 0x02, 0x04};  // length, attributes, timestamp and offset deltas
  put_varint(r.bytes, static_cast<int64_t>(key.size()));
  r.bytes.insert(r.bytes.end(), key.begin(), key.end());
  put_varint(r.bytes, static_cast<int64_t>(value.size()));
  r.value_at = r.bytes.size();
  r.bytes.insert(r.bytes.end(), value.begin(), value.end());
  put_varint(r.bytes, headers);
  for (int i = 0; i < headers; ++i) {
    put_varint(r.bytes, 1);
    r.bytes.push_back('h');
    put_varint(r.bytes, 0);
  }
  return r;
}

rd_kafka_message_t message_at(std::vector<uint8_t>& bytes, size_t value_at, size_t len) {
  rd_kafka_message_t m{};
  m.payload = bytes.data() + value_at;
  m.len = len;
  return m;
}

TEST(SurelyHeaderless, V2WithoutHeaders) {
  for (size_t len : {1u, 63u, 64u, 100u, 8191u, 8192u, 70000u, 1u << 20}) {
    V2Record r = v2("key", std::string(len, 'v'), 0);
    rd_kafka_message_t m = message_at(r.bytes, r.value_at, len);
    EXPECT_TRUE(surely_headerless(&m)) << len;
  }
}

TEST(SurelyHeaderless, V2WithHeadersIsNeverHeaderless) {
  for (int headers : {1, 2, 63, 64, 200})
    for (size_t len : {1u, 100u, 8192u}) {
      V2Record r = v2("", std::string(len, '\0'), headers);  // zero bytes in the value too
      rd_kafka_message_t m = message_at(r.bytes, r.value_at, len);
      EXPECT_FALSE(surely_headerless(&m)) << headers << " headers, " << len << " bytes";
    }
}

TEST(SurelyHeaderless, NullOrEmptyValueAsksLibrdkafka) {
  V2Record r = v2("key", "", 0);
  rd_kafka_message_t m = message_at(r.bytes, r.value_at, 0);
  EXPECT_FALSE(surely_headerless(&m));
  m.payload = nullptr;
  EXPECT_FALSE(surely_headerless(&m));
}

TEST(SurelyHeaderless, HugeValueAsksLibrdkafka) {
  // Not read at all: the length alone sends it to librdkafka's parse.
  uint8_t byte = 0;
  rd_kafka_message_t m{};
  m.payload = &byte;
  m.len = size_t{1} << 27;
  EXPECT_FALSE(surely_headerless(&m));
}

// v0/v1: [... value length int32 big-endian][value], and the next message (or
// the buffer's end) right after. The big-endian length must never read as the
// zigzag varint of the same length.
class V1Layout {
 public:
  explicit V1Layout(size_t max_len)
      : buf_(static_cast<uint8_t*>(std::calloc(kValueAt + max_len + 1, 1))) {  // lazily zeroed
    std::memset(buf_, 0xff, kValueAt - 4);  // null key (length -1) and what precedes it
  }
  ~V1Layout() { std::free(buf_); }
  // Whether a v1 value of `len` bytes, followed by a 0x00, is taken for v2.
  bool mistaken(uint32_t len) {
    buf_[kValueAt - 4] = static_cast<uint8_t>(len >> 24);
    buf_[kValueAt - 3] = static_cast<uint8_t>(len >> 16);
    buf_[kValueAt - 2] = static_cast<uint8_t>(len >> 8);
    buf_[kValueAt - 1] = static_cast<uint8_t>(len);
    rd_kafka_message_t m{};
    m.payload = buf_ + kValueAt;
    m.len = len;
    return surely_headerless(&m);
  }

 private:
  static constexpr size_t kValueAt = 12;
  uint8_t* buf_;
};

TEST(SurelyHeaderless, V1LengthNeverReadsAsVarint) {
  V1Layout small(1u << 21);
  for (uint32_t len = 1; len <= (1u << 21); ++len)
    if (small.mistaken(len)) FAIL() << "v1 value of " << len << " bytes taken for v2";
  V1Layout large((1u << 27) - 1);
  for (uint32_t len : {(1u << 21) + 1, (1u << 26) - 1, 1u << 26, (1u << 27) - 1})
    EXPECT_FALSE(large.mistaken(len)) << len;
}

TEST(SurelyHeaderless, ReadHeadersTakesTheShortcut) {
  // Not a message of librdkafka's (asking it about this one would be invalid),
  // so this passes only if read_headers answers without asking.
  V2Record r = v2("k", "value", 0);
  rd_kafka_message_t m = message_at(r.bytes, r.value_at, 5);
  std::vector<sluice_header_t> out;
  read_headers(&m, out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace sluice::engine
