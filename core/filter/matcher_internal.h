// matcher_internal.h: the pieces of the matcher (matcher.cc) that tests and
// fuzz targets may reach: scalars and operators, the field-name index of a
// trie node, and the full JSON check (json_scan.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/filter/filter.h"
#include "core/filter/pattern.h"

namespace sluice::filter::internal {

struct Scalar {
  enum Kind : uint8_t { kString, kNumber, kTrue, kFalse, kNull };
  Kind kind;
  std::string_view s;    // kString: unescaped bytes; kNumber: the number's text
  int8_t num_state = 0;  // 0 not parsed yet, 1 comparable, -1 not comparable
  double num = 0;
};

// Does one operator accept one scalar.
bool op_hits(const LeafOp& op, Scalar& v);

// The children of one trie node by field name, in a hash table whose hash
// (of the name's length and first 8 bytes) is chosen when the matcher is
// built so that the names do not collide: a lookup is one multiply, one
// probe and one compare (plus memcmp past 8 bytes). With no such hash among
// the ones tried (many children), the table probes linearly.
class KeyIndex {
 public:
  struct Entry {
    uint64_t head;     // first min(len, 8) bytes, zero-padded
    size_t len;
    const char* key;   // the trie's std::string, alive as long as the filter
    uint32_t child;    // index in TrieNode::children
    uint32_t node;     // the child's trie node
  };

  void build(const TrieNode& t);
  const Entry& entry(size_t child) const { return entries_[child]; }

  // The child named key[0..len), or nullptr; key[0..8) must be readable.
  const Entry* find_wide(const char* key, size_t len) const {
    return find_head(head_wide(key, len), key, len);
  }
  // The same when only key[0..len) is readable.
  const Entry* find(const char* key, size_t len) const {
    return find_head(head(key, len), key, len);
  }

  static uint64_t head(const char* key, size_t len) {
    uint64_t h = 0;
    std::memcpy(&h, key, len < 8 ? len : 8);
    return h;
  }
  // The same from an 8-byte load (little-endian only; elsewhere as head()).
  static uint64_t head_wide(const char* key, size_t len) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t h;
    std::memcpy(&h, key, 8);
    return len >= 8 ? h : h & ((uint64_t{1} << (len * 8)) - 1);
#else
    return head(key, len);
#endif
  }

 private:
  const Entry* find_head(uint64_t h, const char* key, size_t len) const {
    if (slots_.empty()) return nullptr;
    size_t s = slot(h, len);
    for (;;) {
      const int32_t i = slots_[s];
      if (i < 0) return nullptr;
      const Entry* e = &entries_[static_cast<size_t>(i)];
      if (e->head == h && e->len == len &&
          (len <= 8 || std::memcmp(e->key + 8, key + 8, len - 8) == 0)) {
        return e;
      }
      if (perfect_) return nullptr;
      s = (s + 1) & (slots_.size() - 1);
    }
  }
  size_t slot(uint64_t h, size_t len) const {
    return static_cast<size_t>(((h + len) * mult_) >> shift_);
  }
  std::vector<Entry> entries_;
  std::vector<int32_t> slots_;  // entry index or -1; empty when no children
  uint64_t mult_ = 1;
  unsigned shift_ = 63;
  bool perfect_ = false;
};

// True when the bytes are exactly one JSON value as the matcher reads
// records (docs/FILTERS.md: UTF-8, paired surrogates, depth <= 1000).
bool is_json_record(const uint8_t* p, size_t n);

}  // namespace sluice::filter::internal
