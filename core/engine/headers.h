// Reading a consumed record's headers, and knowing when it has none without
// asking librdkafka.
//
// Why: rd_kafka_message_headers() builds a parse buffer on the heap (calloc and
// free, several hundred bytes) for every record, also for the common record
// with no headers, and then answers "none" without caching that answer. On the
// fetch thread the calloc and free alone took a quarter of its profile at
// 2 M records/s, more than the rest of handle_message together, and skipping
// them saved 100-200 ns of CPU per record end to end
// (bench/results/e2e-2026-11-22-session3.txt).
//
// The shortcut rests on Kafka's record format v2 (KIP-98), the only one with
// headers: a record is [...][valueLength varint][value][headerCount varint]
// [headers], and librdkafka hands out the value as a pointer into that record
// (the fetch response, or the decompressed batch). So when the bytes right
// before the value are the zigzag varint of its length, the byte right after
// it is the header count, and 0x00 there means no headers. Anything else, or
// any doubt, falls back to librdkafka's parse, which is always right:
// - null or empty value: no length to recognise; parse.
// - format v0/v1 (pre-0.11 topics, no headers at all): the value follows a
//   4-byte big-endian length, which never spells the zigzag varint of the
//   same non-zero length (headers_test.cc checks every length up to 2^21 and
//   the boundaries up to 2^27), so these parse too. Values of 2^27 bytes
//   (128 MiB) and more always parse.
// - a librdkafka major version other than the ones this was verified with
//   (0.11 to 2.x, where payload points into the record): parse.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "sluice.h"

namespace sluice::engine {

// True only when `m` certainly carries no headers (see above). False means
// "ask librdkafka", not "has headers".
inline bool surely_headerless(const rd_kafka_message_t* m) {
  static const bool layout_known = [] {
    const int v = rd_kafka_version();
    return v >= 0x000b0000 && v < 0x03000000;
  }();
  if (!layout_known || !m->payload || m->len == 0 || m->len >= (size_t{1} << 27)) return false;
  const auto* value = static_cast<const uint8_t*>(m->payload);
  uint8_t varint[4];  // 2 * len < 2^28: at most 4 varint bytes
  size_t n = 0;
  for (uint64_t z = static_cast<uint64_t>(m->len) << 1;;) {  // zigzag of a positive length
    const auto low = static_cast<uint8_t>(z & 0x7f);
    z >>= 7;
    varint[n++] = static_cast<uint8_t>(low | (z ? 0x80 : 0));
    if (!z) break;
  }
  const uint8_t* length = value - n;  // where a v2 record has the value's length
  for (size_t i = 0; i < n; ++i)      // a loop, not memcmp: n is 1 to 4, a call costs more
    if (length[i] != varint[i]) return false;
  return value[m->len] == 0;
}

// Appends a message's headers, as zero-copy views into librdkafka's parse
// (which lives as long as the message), to `out`.
template <typename Vec>
void read_headers(rd_kafka_message_t* m, Vec& out) {
  if (surely_headerless(m)) return;
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR || !hdrs) return;
  const char* name;
  const void* value;
  size_t size;
  for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == 0; ++i)
    out.push_back(sluice_header_t{name, static_cast<const uint8_t*>(value),
                                  static_cast<uint32_t>(std::strlen(name)),
                                  static_cast<uint32_t>(size)});
}

}  // namespace sluice::engine
