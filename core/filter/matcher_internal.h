// matcher_internal.h: what the two builds of the record walker share. The
// walker (matcher_engine.inc) is compiled twice: in matcher.cc against
// simdjson's portable kernel and in matcher_avx2.cc against its AVX2 one;
// Matcher picks one at run time. Everything that allocates or is not
// kernel-specific lives here, compiled once without AVX2, so that no AVX2
// copy of a shared inline function can leak into the rest of the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
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

// The token of a scalar that simdjson hands out with what follows it.
std::string_view scalar_token(std::string_view raw);

// Memory a walker reuses from record to record.
class Scratch {
 public:
  Scratch(const CompiledFilter& f);
  // Per recursion level four bitsets: 0 result sat, 1 result pin, 2 and 3
  // accumulators; and one "seen" flag per trie child.
  uint64_t* level(size_t lvl, int slot) { return bits_ + (lvl * 4 + static_cast<size_t>(slot)) * words_; }
  uint8_t* seen(size_t lvl) { return seen_ + lvl * max_children_; }
  void ensure_level(size_t lvl) {
    if (lvl >= levels_) grow(lvl);
  }
  // Copies p into the part's buffer with simdjson's padding after it.
  const char* pad(int part, const uint8_t* p, size_t n, size_t* capacity);
  // p as a string with invalid UTF-8 replaced by U+FFFD (a Java decoder's view).
  std::string_view repaired(const uint8_t* p, size_t n);
  uint64_t* result(int part) { return results_[static_cast<size_t>(part)].data(); }
  uint64_t* result_as_string(int part) { return results_[2 + static_cast<size_t>(part)].data(); }

 private:
  void grow(size_t lvl);
  size_t words_;
  size_t max_children_ = 1;
  size_t levels_ = 0;
  uint64_t* bits_ = nullptr;
  uint8_t* seen_ = nullptr;
  std::vector<uint64_t> bits_store_;
  std::vector<uint8_t> seen_store_;
  std::unique_ptr<char[]> buf_[2];
  size_t cap_[2] = {0, 0};
  std::string repaired_;
  std::vector<uint64_t> results_[4];
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual bool match(const uint8_t* key, size_t key_len, bool key_null, const uint8_t* value,
                     size_t value_len, bool value_null) = 0;
};

std::unique_ptr<Engine> make_portable_engine(const CompiledFilter& f);
// Only call when avx2_engine_supported().
std::unique_ptr<Engine> make_avx2_engine(const CompiledFilter& f);
bool avx2_engine_supported();

}  // namespace sluice::filter::internal
