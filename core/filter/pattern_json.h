// pattern_json.h: a small strict JSON reader for filter patterns (not for
// records: those go through simdjson). It keeps, for every value, the byte
// offset where it starts in the caller's text, so that pattern errors can say
// where they are, also inside a pattern given as a JSON string (whose
// escapes shift every offset).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/status.h"

namespace sluice::filter {

struct JsonValue {
  enum Kind : uint8_t { kObject, kArray, kString, kNumber, kTrue, kFalse, kNull };
  struct Member {
    std::string key;
    int64_t key_offset;
    uint32_t value;  // index in JsonDoc::values
  };
  Kind kind = kNull;
  int64_t offset = 0;  // where the value starts in the outer text
  int64_t end = 0;     // one past its last byte in the outer text
  std::string text;    // kString: unescaped; kNumber: as written
  std::vector<Member> members;  // kObject, in document order (duplicates kept)
  std::vector<uint32_t> items;  // kArray
  // kString only: outer offset of each byte of text, plus one for the closing
  // quote; filled when the string may hold a pattern.
  std::vector<int64_t> text_offsets;
};

struct JsonDoc {
  std::vector<JsonValue> values;
  uint32_t root = 0;
};

// Parses text as one JSON value. offsets (optional) maps each byte of text to
// its offset in the outer text plus one entry for the end; without it the
// offsets are base + index. max_depth bounds nesting of arrays and objects;
// start_depth is the depth of the root's container (-1 lets an outer array
// not count).
// Errors are SLUICE_ERR_INVALID_PATTERN with the offset set and message
// "invalid JSON: ...". keep_string_offsets fills JsonValue::text_offsets.
Status parse_json(std::string_view text, const std::vector<int64_t>* offsets, int64_t base,
                  int max_depth, int start_depth, bool keep_string_offsets, JsonDoc* out);

}  // namespace sluice::filter
