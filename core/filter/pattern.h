// pattern.h: the compiled form of a set of filter patterns (docs/FILTERS.md).
//
// Compilation expands every "$or" into alternatives ("sub-rules", as
// event-ruler calls them): each is a conjunction of conditions, one per field
// path; a record matches when any alternative of any pattern does. All paths
// of all alternatives are merged into one trie over field names whose root
// has the children "value" and "key". A condition is the list of operators
// written at one path (ORed), shared by every alternative that kept it.
//
// Matching (matcher.cc) walks a record once, following the trie, and computes
// for every alternative a "satisfied" bit and a "pinned" bit (satisfied with
// at least one value really matched, as opposed to only by absences, which
// decides how arrays of objects combine). The sets are bitsets of
// Filter::words 64-bit words, and every mask below is such a bitset stored
// in Filter::masks at the given offset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/filter/text.h"

namespace sluice::filter {

enum class Op : uint8_t {
  kExactString,      // "v" (and {"exactly":"v"})
  kExactNumber,      // 300: by value when comparable, else by text
  kTrue,
  kFalse,
  kNull,
  kEqualsIgnoreCase,
  kPrefix,
  kSuffix,
  kPrefixIgnoreCase,
  kSuffixIgnoreCase,
  kNumeric,          // {"numeric":[...]}: one range
  kExists,           // {"exists":true}; exists:false is Condition::absent_ok
  kAnythingBut,           // strings in `strings` (or numbers in `numbers`)
  kAnythingButNumber,
  kAnythingButPrefix,
  kAnythingButSuffix,
  kAnythingButIgnoreCase,
};

struct LeafOp {
  Op op = Op::kExists;
  std::string text;                  // string operand, or the number's text
  std::vector<CasePair> fold;        // ignore-case operand
  bool comparable = false;           // kExactNumber: value below is meaningful
  double value = 0;                  // kExactNumber
  // kNumeric: lo < x < hi with the bounds' openness; infinities for none.
  double lo = 0, hi = 0;
  bool lo_open = false, hi_open = false;
  std::vector<std::string> strings;            // anything-but strings/prefixes/suffixes
  std::vector<double> numbers;                 // anything-but numbers
  std::vector<std::vector<CasePair>> folds;    // anything-but ignore-case
};

struct Condition {
  std::vector<LeafOp> ops;  // ORed
  bool absent_ok = false;   // has {"exists":false}
  bool wants_number = false;  // some op looks at numbers' values
  uint32_t mask = 0;        // alternatives that use this condition
};

struct TrieNode {
  struct Child {
    std::string key;
    uint32_t node;
  };
  std::vector<Child> children;
  std::vector<uint32_t> conditions;  // indexes into Filter::conditions
  uint32_t not_self = 0;        // alternatives without a condition at this node
  uint32_t absent_self = 0;     // satisfied when no value is at this path (+ not_self)
  uint32_t children_absent = 0; // AND of the children's absent_all
  uint32_t absent_all = 0;      // absent_self & children_absent
  uint32_t children_fail = 0;   // alternatives with nothing below this node
};

struct CompiledFilter {
  std::vector<Condition> conditions;
  std::vector<TrieNode> nodes;  // nodes[0] is the root
  std::vector<uint64_t> masks;
  uint32_t words = 1;           // bitset size in 64-bit words
  uint32_t alternatives = 0;
  uint32_t all_alternatives = 0;  // mask of every real alternative
  int32_t value_node = -1;      // root's child "value", or -1
  int32_t key_node = -1;        // root's child "key", or -1
  size_t max_depth = 0;         // depth of the trie
  size_t pattern_count = 0;
};

}  // namespace sluice::filter
