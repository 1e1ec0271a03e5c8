// event_writer.h: encodes a batch of Kafka records as the exact JSON event
// AWS Lambda sends for MSK / self-managed Kafka (docs/EVENT.md), compact, no
// spaces:
//
//   {"eventSource":"aws:kafka","eventSourceArn":"<arn>","bootstrapServers":"<bs>",
//    "records":{"<topic>-<partition>":[<record>,<record>,...]}}
//   record: {"topic":"<t>","partition":P,"offset":O,"timestamp":T,
//            "timestampType":"CREATE_TIME","key":"<b64>","value":"<b64>",
//            "headers":[{"<name>":[104,-1,...]},...]}
//
// Source::kSelfManagedKafka writes "eventSource":"SelfManagedKafka" and no
// eventSourceArn. A null key / null value (tombstone) omits the field; empty
// bytes give "". timestamp_type SLUICE_TIMESTAMP_CREATE_TIME -> "CREATE_TIME",
// SLUICE_TIMESTAMP_LOG_APPEND_TIME -> "LOG_APPEND_TIME", anything else ->
// "NO_TIMESTAMP_TYPE" (the timestamp is written as given, normally -1).
// Header values are arrays of signed decimal bytes (Java byte[]); a null
// header value is []. Strings are escaped as json_escape.h says (invalid UTF-8
// bytes become \ufffd), so the event is always valid UTF-8 JSON.
//
// Sizes are exact: the batcher sums envelope_size + record_size per record
// (+1 per ',' between records) to cut batches before 6 MB, then write()
// produces exactly that many bytes.
//
// Cost: record_size is O(number of headers + their name and value bytes); it
// never looks at key or value bytes (their base64 length is arithmetic) and,
// through the overload taking topic_escaped_len, not at the topic either.
// write() does no heap allocation.
//
// Thread-safety: an EventWriter is immutable after construction; every const
// method may run concurrently on the same writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sluice.h"

namespace sluice::event {

enum class Source { kAwsKafka, kSelfManagedKafka };

struct EventConfig {
  Source source = Source::kAwsKafka;
  std::string event_source_arn;   // written only for kAwsKafka
  std::string bootstrap_servers;  // comma-separated host:port, as given
};

class EventWriter {
 public:
  explicit EventWriter(EventConfig cfg);

  const EventConfig& config() const { return cfg_; }

  // Exact bytes of an event for (topic, partition) holding no records.
  size_t envelope_size(std::string_view topic, int32_t partition) const;

  // Exact bytes of one record's JSON object (without the ',' separator).
  // `headers` is the batch's header array; the record's headers are
  // headers[r.header_first .. r.header_first + r.header_count); headers may be
  // NULL when r.header_count == 0. The record's "partition" field is
  // r.partition. This form escapes the topic on each call (O(topic length));
  // per-record callers should use the overload below.
  size_t record_size(std::string_view topic, const sluice_record_t& r,
                     const sluice_header_t* headers) const;

  // Same, with topic_escaped_len = escaped_topic_size(topic) computed once per
  // topic by the caller: then the cost is O(headers) only.
  size_t record_size(size_t topic_escaped_len, const sluice_record_t& r,
                     const sluice_header_t* headers) const;

  // The topic's JSON-escaped length (for Kafka's legal topic names, which
  // are ASCII letters, digits, '.', '_' and '-', this is topic.size()).
  static size_t escaped_topic_size(std::string_view topic);

  // Exact bytes write() produces for these records:
  // envelope_size + sum(record_size) + (n ? n - 1 : 0).
  size_t event_size(std::string_view topic, int32_t partition, const sluice_record_t* records,
                    size_t n, const sluice_header_t* headers) const;

  // Writes the whole event into out, which must hold event_size(...) bytes
  // (no NUL is added). Returns the bytes written, exactly event_size(...).
  // records may be NULL when n == 0. No heap allocation.
  size_t write(char* out, std::string_view topic, int32_t partition,
               const sluice_record_t* records, size_t n, const sluice_header_t* headers) const;

  // Convenience for tests and tools: the event as a string (allocates).
  std::string write_string(std::string_view topic, int32_t partition,
                           const sluice_record_t* records, size_t n,
                           const sluice_header_t* headers) const;

 private:
  EventConfig cfg_;
  // Everything before the topic in the records key:
  // {"eventSource":...,"bootstrapServers":"...","records":{"
  std::string prefix_;
};

}  // namespace sluice::event
