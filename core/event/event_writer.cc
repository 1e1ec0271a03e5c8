// event_writer.cc: the Lambda Kafka event encoder. Every literal piece of JSON
// is a constant below that both the size functions and write() use, so the
// two cannot drift apart.
#include "core/event/event_writer.h"

#include <array>
#include <cstring>
#include <utility>

#include "core/event/base64.h"
#include "core/event/json_escape.h"

namespace sluice::event {
namespace {

using namespace std::string_view_literals;

constexpr std::string_view kRecordsOpenTail = "\":["sv;  // after "<topic>-<partition>
constexpr std::string_view kEventClose = "]}}"sv;
constexpr std::string_view kRecTopic = "{\"topic\":\""sv;
constexpr std::string_view kRecPartition = "\",\"partition\":"sv;
constexpr std::string_view kRecOffset = ",\"offset\":"sv;
constexpr std::string_view kRecTimestamp = ",\"timestamp\":"sv;
constexpr std::string_view kRecCreateTime = ",\"timestampType\":\"CREATE_TIME\""sv;
constexpr std::string_view kRecLogAppendTime = ",\"timestampType\":\"LOG_APPEND_TIME\""sv;
constexpr std::string_view kRecNoTimestampType = ",\"timestampType\":\"NO_TIMESTAMP_TYPE\""sv;
constexpr std::string_view kRecKey = ",\"key\":\""sv;
constexpr std::string_view kRecValue = ",\"value\":\""sv;
constexpr std::string_view kRecHeaders = ",\"headers\":["sv;
constexpr std::string_view kRecClose = "]}"sv;
constexpr std::string_view kHdrOpen = "{\""sv;
constexpr std::string_view kHdrMid = "\":["sv;
constexpr std::string_view kHdrClose = "]}"sv;

inline char* put(char* o, std::string_view s) {
  std::memcpy(o, s.data(), s.size());
  return o + s.size();
}

inline std::string_view timestamp_type_piece(int32_t type) {
  switch (type) {
    case SLUICE_TIMESTAMP_CREATE_TIME: return kRecCreateTime;
    case SLUICE_TIMESTAMP_LOG_APPEND_TIME: return kRecLogAppendTime;
    default: return kRecNoTimestampType;
  }
}

// ---- integers -------------------------------------------------------------

constexpr uint64_t kPow10[20] = {1ull,
                                 10ull,
                                 100ull,
                                 1000ull,
                                 10000ull,
                                 100000ull,
                                 1000000ull,
                                 10000000ull,
                                 100000000ull,
                                 1000000000ull,
                                 10000000000ull,
                                 100000000000ull,
                                 1000000000000ull,
                                 10000000000000ull,
                                 100000000000000ull,
                                 1000000000000000ull,
                                 10000000000000000ull,
                                 100000000000000000ull,
                                 1000000000000000000ull,
                                 10000000000000000000ull};

// Decimal digits of v (1 for 0). v | 1 keeps the count (powers of ten are
// even) and avoids clz(0).
inline size_t digits_u64(uint64_t v) {
  const uint64_t w = v | 1;
  const unsigned bits = 64u - static_cast<unsigned>(__builtin_clzll(w));
  const unsigned t = (bits * 1233u) >> 12;  // ~ bits * log10(2)
  return t + 1 - (w < kPow10[t] ? 1 : 0);
}

inline uint64_t magnitude(int64_t v) {
  return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

inline size_t int_size(int64_t v) { return (v < 0 ? 1 : 0) + digits_u64(magnitude(v)); }

struct DigitPairs {
  std::array<char, 200> c{};
  constexpr DigitPairs() {
    for (int i = 0; i < 100; ++i) {
      c[2 * i] = static_cast<char>('0' + i / 10);
      c[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
  }
};
constexpr DigitPairs kDigitPairs;

inline char* put_int(char* o, int64_t v) {
  if (v < 0) *o++ = '-';
  uint64_t u = magnitude(v);
  const size_t len = digits_u64(u);
  char* p = o + len;
  while (u >= 100) {
    const auto pair = static_cast<size_t>(u % 100);
    u /= 100;
    p -= 2;
    std::memcpy(p, &kDigitPairs.c[2 * pair], 2);
  }
  if (u >= 10) {
    std::memcpy(p - 2, &kDigitPairs.c[2 * u], 2);
  } else {
    p[-1] = static_cast<char>('0' + u);
  }
  return o + len;
}

// ---- header values: signed decimal bytes ----------------------------------

// Text of each byte as a Java (signed) byte, e.g. 0xff -> "-1", and its length.
struct ByteText {
  std::array<std::array<char, 4>, 256> text{};
  std::array<uint8_t, 256> len{};
  constexpr ByteText() {
    for (int b = 0; b < 256; ++b) {
      int v = b < 128 ? b : b - 256;
      char buf[4] = {};
      int n = 0;
      if (v < 0) {
        buf[n++] = '-';
        v = -v;
      }
      if (v >= 100) buf[n++] = static_cast<char>('0' + v / 100);
      if (v >= 10) buf[n++] = static_cast<char>('0' + v / 10 % 10);
      buf[n++] = static_cast<char>('0' + v % 10);
      for (int i = 0; i < 4; ++i) text[b][i] = buf[i];
      len[b] = static_cast<uint8_t>(n);
    }
  }
};
constexpr ByteText kByteText;

inline size_t header_value_size(const uint8_t* v, uint32_t n) {
  if (v == nullptr || n == 0) return 0;
  size_t size = n - 1;  // commas
  for (uint32_t i = 0; i < n; ++i) size += kByteText.len[v[i]];
  return size;
}

// Writes "b0,b1,...". Each byte's text is stored with a fixed 4-byte copy; the
// bytes past its length are overwritten by what follows, and at least "]}]}"
// (closing this header, the array and the record) always follows inside the
// event, so the copy never passes the end of the output.
inline char* put_header_value(char* o, const uint8_t* v, uint32_t n) {
  if (v == nullptr || n == 0) return o;
  std::memcpy(o, kByteText.text[v[0]].data(), 4);
  o += kByteText.len[v[0]];
  for (uint32_t i = 1; i < n; ++i) {
    *o++ = ',';
    std::memcpy(o, kByteText.text[v[i]].data(), 4);
    o += kByteText.len[v[i]];
  }
  return o;
}

inline std::string_view name_of(const sluice_header_t& h) {
  return {h.name, h.name == nullptr ? 0 : h.name_len};
}

// Bytes of the record after the topic: from "","partition":" to the end.
inline size_t record_tail_size(const sluice_record_t& r, const sluice_header_t* headers) {
  size_t size = kRecPartition.size() + int_size(r.partition) + kRecOffset.size() +
                int_size(r.offset) + kRecTimestamp.size() + int_size(r.timestamp) +
                timestamp_type_piece(r.timestamp_type).size() + kRecHeaders.size() +
                kRecClose.size();
  if (r.key != nullptr) size += kRecKey.size() + base64_encoded_size(r.key_len) + 1;
  if (r.value != nullptr) size += kRecValue.size() + base64_encoded_size(r.value_len) + 1;
  if (r.header_count != 0) {
    const sluice_header_t* h = headers + r.header_first;
    size += r.header_count - 1;  // commas
    for (uint32_t i = 0; i < r.header_count; ++i) {
      size += kHdrOpen.size() + json_escaped_size(name_of(h[i])) + kHdrMid.size() +
              header_value_size(h[i].value, h[i].value_len) + kHdrClose.size();
    }
  }
  return size;
}

}  // namespace

EventWriter::EventWriter(EventConfig cfg) : cfg_(std::move(cfg)) {
  prefix_ = "{\"eventSource\":";
  if (cfg_.source == Source::kAwsKafka) {
    prefix_ += "\"aws:kafka\",\"eventSourceArn\":\"";
    prefix_ += json_escape(cfg_.event_source_arn);
    prefix_ += "\",";
  } else {
    prefix_ += "\"SelfManagedKafka\",";
  }
  prefix_ += "\"bootstrapServers\":\"";
  prefix_ += json_escape(cfg_.bootstrap_servers);
  prefix_ += "\",\"records\":{\"";
}

size_t EventWriter::escaped_topic_size(std::string_view topic) { return json_escaped_size(topic); }

size_t EventWriter::envelope_size(std::string_view topic, int32_t partition) const {
  return prefix_.size() + json_escaped_size(topic) + 1 + int_size(partition) +
         kRecordsOpenTail.size() + kEventClose.size();
}

size_t EventWriter::record_size(std::string_view topic, const sluice_record_t& r,
                                const sluice_header_t* headers) const {
  return record_size(json_escaped_size(topic), r, headers);
}

size_t EventWriter::record_size(size_t topic_escaped_len, const sluice_record_t& r,
                                const sluice_header_t* headers) const {
  return kRecTopic.size() + topic_escaped_len + record_tail_size(r, headers);
}

size_t EventWriter::event_size(std::string_view topic, int32_t partition,
                               const sluice_record_t* records, size_t n,
                               const sluice_header_t* headers) const {
  const size_t tlen = json_escaped_size(topic);
  size_t size = envelope_size(topic, partition) + (n ? n - 1 : 0);
  for (size_t i = 0; i < n; ++i) size += record_size(tlen, records[i], headers);
  return size;
}

size_t EventWriter::write(char* out, std::string_view topic, int32_t partition,
                          const sluice_record_t* records, size_t n,
                          const sluice_header_t* headers) const {
  char* o = put(out, prefix_);
  o = json_escape(topic, o);
  *o++ = '-';
  o = put_int(o, partition);
  o = put(o, kRecordsOpenTail);

  // Every record starts with {"topic":"<escaped topic>: escape it once, into
  // the first record, and copy it from there for the others.
  const char* rec_head = nullptr;
  size_t rec_head_len = 0;
  for (size_t i = 0; i < n; ++i) {
    const sluice_record_t& r = records[i];
    if (i == 0) {
      rec_head = o;
      o = put(o, kRecTopic);
      o = json_escape(topic, o);
      rec_head_len = static_cast<size_t>(o - rec_head);
    } else {
      *o++ = ',';
      std::memcpy(o, rec_head, rec_head_len);
      o += rec_head_len;
    }
    o = put(o, kRecPartition);
    o = put_int(o, r.partition);
    o = put(o, kRecOffset);
    o = put_int(o, r.offset);
    o = put(o, kRecTimestamp);
    o = put_int(o, r.timestamp);
    o = put(o, timestamp_type_piece(r.timestamp_type));
    if (r.key != nullptr) {
      o = put(o, kRecKey);
      o += base64_encode(r.key, r.key_len, o);
      *o++ = '"';
    }
    if (r.value != nullptr) {
      o = put(o, kRecValue);
      o += base64_encode(r.value, r.value_len, o);
      *o++ = '"';
    }
    o = put(o, kRecHeaders);
    if (r.header_count != 0) {
      const sluice_header_t* h = headers + r.header_first;
      for (uint32_t k = 0; k < r.header_count; ++k) {
        if (k != 0) *o++ = ',';
        o = put(o, kHdrOpen);
        o = json_escape(name_of(h[k]), o);
        o = put(o, kHdrMid);
        o = put_header_value(o, h[k].value, h[k].value_len);
        o = put(o, kHdrClose);
      }
    }
    o = put(o, kRecClose);
  }
  o = put(o, kEventClose);
  return static_cast<size_t>(o - out);
}

std::string EventWriter::write_string(std::string_view topic, int32_t partition,
                                      const sluice_record_t* records, size_t n,
                                      const sluice_header_t* headers) const {
  std::string out(event_size(topic, partition, records, n, headers), '\0');
  const size_t written = write(out.data(), topic, partition, records, n, headers);
  out.resize(written);
  return out;
}

}  // namespace sluice::event
