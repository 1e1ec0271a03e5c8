// filter.h: Lambda's event-filtering pattern language for Kafka records
// (docs/FILTERS.md), compiled once (here) and matched by the Matcher
// (matcher.h), which reads records with sluice's own one-pass validating JSON
// reader (json_scan.h; simdjson::validate_utf8 checks long UTF-8 runs, and
// simdjson's parser is not used for records).
//
//   std::shared_ptr<const Filter> f;
//   if (auto st = compile(R"([{"value":{"type":["order"]}}])", &f); !st.ok()) ...
//   Matcher m(f);                        // matcher.h, one per thread
//   bool keep = m.match(key, klen, key == nullptr, value, vlen, value == nullptr);
//
// A Filter is immutable and may be shared by any number of threads; a Matcher
// owns its record walker's padded buffer and scratch memory and is used by
// one thread at a time.
// Matching never fails: any bytes are a valid record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/util/status.h"

namespace sluice::filter {

struct CompiledFilter;

// Limits, as Lambda's (patterns, bytes) or sluice's own (depth, alternatives).
inline constexpr size_t kMaxPatterns = 10;
inline constexpr size_t kMaxPatternBytes = 4096;
inline constexpr int kMaxPatternDepth = 64;
inline constexpr size_t kMaxAlternatives = 1024;  // after expanding "$or"
// A record nested deeper than this (arrays and objects) is not JSON: it is
// matched as a plain string, as event-ruler does (Jackson's nesting limit).
inline constexpr size_t kMaxRecordDepth = 1000;

class Filter {
 public:
  explicit Filter(std::unique_ptr<CompiledFilter> c);
  ~Filter();
  Filter(const Filter&) = delete;
  Filter& operator=(const Filter&) = delete;

  const CompiledFilter& compiled() const { return *c_; }
  size_t pattern_count() const;

 private:
  std::unique_ptr<CompiledFilter> c_;
};

// Compiles patterns_json, the value of "filter.patterns": a JSON array of
// 1..10 patterns, each a JSON object or a JSON string holding one (Lambda's
// {"Pattern": "..."} form); a single object is accepted too. On error returns
// SLUICE_ERR_INVALID_PATTERN with offset (byte in patterns_json) and path
// ("$[1].value.price[0].numeric[2]"); *out is untouched.
Status compile(std::string_view patterns_json, std::shared_ptr<const Filter>* out);

}  // namespace sluice::filter
