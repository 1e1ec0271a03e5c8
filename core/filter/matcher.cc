// matcher.cc: Matcher, the operators on scalars, and the record walker.
//
// One walk over a record part (copied once into a buffer with zero padding,
// json_scan.h) follows the compiled trie (pattern.h); fields no pattern names
// are skipped (and checked) without being looked at. For each trie node and
// record value the walk yields two bitsets over the alternatives: sat (the
// alternative's conditions below this node hold) and pin (they hold with at
// least one value actually matched). Objects AND their children; arrays take
// an alternative from any element that pins it, or, when no element pins it,
// only if every element satisfies it by absence (so {"exists":false} inside
// an array of objects means "in no element", as in event-ruler, while fields
// matched together must sit in one element). Nested arrays are flattened: an
// element of an inner array counts as an element of the outer one, which is
// what the nested evaluation would give, in a loop instead of recursion. The
// recursion therefore follows the trie only: its depth is bounded by the
// patterns, not by the record.
//
// JSON validity is checked lazily. Everything the walk reads, including the
// fields it skips, is checked as it goes; the walk stops early only at the
// top level of the record, once the answer is settled (settled()): every
// field the patterns name there was read, or no alternative can hold, or one
// holds that names none of the fields still unread. The rest is checked only
// when reading the bytes as a plain string instead would change the answer
// (docs/FILTERS.md).
//
// Speed (bench/results/filter-vs-event-ruler.txt): field names are found by
// a perfect hash, but first compared with a guess from the previous records'
// key order (Probe); operators on strings compare 8-byte heads; bitsets are
// values (one register for up to 64 alternatives).
#include "core/filter/matcher.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/filter/json_scan.h"
#include "core/filter/matcher_internal.h"
#include "core/filter/pattern.h"
#include "core/filter/text.h"

namespace sluice::filter {
namespace internal {
namespace {

bool in_range(const LeafOp& op, double x) {
  if (op.lo_open ? !(x > op.lo) : !(x >= op.lo)) return false;
  if (op.hi_open ? !(x < op.hi) : !(x <= op.hi)) return false;
  return true;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && std::memcmp(s.data(), p.data(), p.size()) == 0;
}

bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() &&
         std::memcmp(s.data() + s.size() - p.size(), p.data(), p.size()) == 0;
}

bool comparable(Scalar& v) {
  if (v.num_state == 0) v.num_state = comparable_number(v.s, &v.num) ? 1 : -1;
  return v.num_state > 0;
}

}  // namespace

bool op_hits(const LeafOp& op, Scalar& v) {
  using K = Scalar::Kind;
  switch (op.op) {
    case Op::kExactString:
      return v.kind == K::kString && v.s == op.text;
    case Op::kExactNumber:
      if (v.kind != K::kNumber) return false;
      if (op.comparable && comparable(v)) return v.num == op.value;
      return v.s == op.text;
    case Op::kTrue:
      return v.kind == K::kTrue;
    case Op::kFalse:
      return v.kind == K::kFalse;
    case Op::kNull:
      return v.kind == K::kNull;
    case Op::kEqualsIgnoreCase:
      return v.kind == K::kString && equals_ignore_case(v.s, op.fold);
    case Op::kPrefix:
      return v.kind == K::kString && starts_with(v.s, op.text);
    case Op::kSuffix:
      return v.kind == K::kString && ends_with(v.s, op.text);
    case Op::kPrefixIgnoreCase:
      return v.kind == K::kString && prefix_ignore_case(v.s, op.fold);
    case Op::kSuffixIgnoreCase:
      return v.kind == K::kString && suffix_ignore_case(v.s, op.fold);
    case Op::kNumeric:
      return v.kind == K::kNumber && comparable(v) && in_range(op, v.num);
    case Op::kExists:
      return true;
    case Op::kAnythingBut:
      if (v.kind != K::kString) return true;
      for (const auto& s : op.strings) {
        if (v.s == s) return false;
      }
      return true;
    case Op::kAnythingButNumber:
      if (v.kind != K::kNumber || !comparable(v)) return true;
      for (double x : op.numbers) {
        if (v.num == x) return false;
      }
      return true;
    case Op::kAnythingButPrefix:
      if (v.kind != K::kString) return true;
      for (const auto& s : op.strings) {
        if (starts_with(v.s, s)) return false;
      }
      return true;
    case Op::kAnythingButSuffix:
      if (v.kind != K::kString) return true;
      for (const auto& s : op.strings) {
        if (ends_with(v.s, s)) return false;
      }
      return true;
    case Op::kAnythingButIgnoreCase:
      if (v.kind != K::kString) return true;
      for (const auto& f : op.folds) {
        if (equals_ignore_case(v.s, f)) return false;
      }
      return true;
  }
  return false;
}

void KeyIndex::build(const TrieNode& t) {
  entries_.clear();
  slots_.clear();
  for (size_t i = 0; i < t.children.size(); ++i) {
    const std::string& k = t.children[i].key;
    entries_.push_back({head(k.data(), k.size()), k.size(), k.data(), static_cast<uint32_t>(i),
                        t.children[i].node});
  }
  if (entries_.empty()) return;
  unsigned bits = 1;
  while ((size_t{1} << bits) < entries_.size() * 2) ++bits;
  // Odd multipliers from a fixed generator: the same table on every run.
  uint64_t seed = 0x9E3779B97F4A7C15u;
  for (unsigned extra = 0; extra < 3; ++extra) {
    const unsigned b = bits + extra;
    slots_.assign(size_t{1} << b, -1);
    shift_ = 64 - b;
    for (int attempt = 0; attempt < 64; ++attempt) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      mult_ = seed | 1;
      std::fill(slots_.begin(), slots_.end(), -1);
      bool ok = true;
      for (size_t i = 0; i < entries_.size() && ok; ++i) {
        int32_t& s = slots_[slot(entries_[i].head, entries_[i].len)];
        if (s >= 0) ok = false;
        s = static_cast<int32_t>(i);
      }
      if (ok) {
        perfect_ = true;
        return;
      }
    }
  }
  // No perfect hash found: linear probing.
  perfect_ = false;
  std::fill(slots_.begin(), slots_.end(), -1);
  for (size_t i = 0; i < entries_.size(); ++i) {
    size_t s = slot(entries_[i].head, entries_[i].len);
    while (slots_[s] >= 0) s = (s + 1) & (slots_.size() - 1);
    slots_[s] = static_cast<int32_t>(i);
  }
}

// A buffer holding a copy of a record part and kPadding zero bytes after it
// (json_scan.h), reused from record to record.
class PaddedCopy {
 public:
  const char* set(const uint8_t* p, size_t n) {
    if (cap_ < n + kPadding) {
      cap_ = std::max<size_t>(256, (n + kPadding) * 2);
      buf_.reset(new char[cap_]);
    }
    if (n) std::memcpy(buf_.get(), p, n);
    std::memset(buf_.get() + n, 0, kPadding);
    len_ = n;
    return buf_.get();
  }
  const char* data() const { return buf_.get(); }
  const char* end() const { return buf_.get() + len_; }

 private:
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t len_ = 0;
};

bool is_json_record(const uint8_t* p, size_t n) {
  PaddedCopy c;
  return is_json_padded(c.set(p, n), n);
}

class Walker {
 public:
  virtual ~Walker() = default;
  virtual bool match(const uint8_t* key, size_t key_len, bool key_null, const uint8_t* value,
                     size_t value_len, bool value_null) = 0;
};

namespace {

// A set of alternatives: kW 64-bit words, a value type (in registers when
// kW == 1, the usual case of at most 64 alternatives).
template <size_t kW>
struct Bits {
  uint64_t w[kW];
  static Bits all() {
    Bits b;
    for (size_t i = 0; i < kW; ++i) b.w[i] = ~uint64_t{0};
    return b;
  }
  static Bits none() {
    Bits b;
    for (size_t i = 0; i < kW; ++i) b.w[i] = 0;
    return b;
  }
  Bits operator&(const Bits& o) const {
    Bits b;
    for (size_t i = 0; i < kW; ++i) b.w[i] = w[i] & o.w[i];
    return b;
  }
  Bits operator|(const Bits& o) const {
    Bits b;
    for (size_t i = 0; i < kW; ++i) b.w[i] = w[i] | o.w[i];
    return b;
  }
  Bits operator~() const {
    Bits b;
    for (size_t i = 0; i < kW; ++i) b.w[i] = ~w[i];
    return b;
  }
  Bits& operator&=(const Bits& o) { return *this = *this & o; }
  Bits& operator|=(const Bits& o) { return *this = *this | o; }
  bool any() const {
    uint64_t r = 0;
    for (size_t i = 0; i < kW; ++i) r |= w[i];
    return r != 0;
  }
};

// kW: words per bitset, at least CompiledFilter::words (the extra words
// stand for no alternative: all_alternatives has zeros there).
template <size_t kW>
class WalkerImpl final : public Walker {
  using B = Bits<kW>;
  // What a record value yields for a trie node (see the top of this file).
  struct Res {
    B sat, pin;
  };
  // The operators of a node's conditions, one after the other: a hit adds
  // its condition's alternatives (mask) and skips the condition's other
  // operators (rest: the operators left in it, this one included). The
  // common string comparisons use the operand's length and first bytes
  // (zero-padded, with a mask of them) without a call.
  struct FastOp {
    Op op;
    size_t len;
    uint64_t head, head_mask;
    const char* text;
    const LeafOp* full;
    B mask;
    size_t rest;
    // kEqualsIgnoreCase with an ASCII operand of at most 8 bytes: its head
    // in lower case (ascii_lower), compared with the value's; else 0.
    uint64_t lower_head;
  };
  // A named field's key as it most often appears in records: '"', the name,
  // '"' (names that JSON would not write this way: never).
  struct Probe {
    size_t len;  // of the quoted name; 0: never guess this child
#if defined(__SSE2__)
    __m128i bytes;   // the quoted name, when len <= 16
    uint32_t mask;   // its len low bits
#endif
    std::string quoted;
  };
  struct Node {
    B not_self, absent_self, children_absent, absent_all, children_fail;
    size_t nconds;
    const TrieNode* trie;
    // Per child (TrieNode::children order), into child_masks_: its
    // absent_all, and the alternatives with a condition at or below it.
    const B* child_absent_all;
    const B* child_ref;
    const FastOp* ops;  // into ops_: the conditions' operators
    size_t nops;
    // Per child, into probes_; and per child plus one, into pred_: which
    // child's key followed that child's key (the first entry: which came
    // first) in the last record where the guess was wrong. Records from one
    // producer usually keep their keys in one order, so that the next key is
    // checked with one compare instead of being scanned and looked up. The
    // same for a key no pattern names (unnamed_, parallel to pred_).
    size_t probes;
    size_t pred;
    // Into guess_lists_: one slot per child, for the members after that
    // child's field when the rest of the object is skipped (the list is
    // allocated when first used: only a few fields are where skips start).
    size_t guesses = 0;
    // At the record's top (value_node, key_node) with at most
    // kMaxTableChildren children: per set of unseen children (bit ci for
    // child ci), the alternatives with a condition at or below one of them.
    const B* unseen_refs = nullptr;
  };
  static constexpr size_t kMaxTableChildren = 8;

 public:
  explicit WalkerImpl(const CompiledFilter& f) : f_(f) {
    const auto mask = [&](uint32_t at) {
      B b = B::none();
      std::memcpy(b.w, f.masks.data() + at, f.words * sizeof(uint64_t));
      return b;
    };
    size_t max_children = 1;
    size_t nops = 0, nchildren = 0;
    for (const auto& t : f.nodes) {
      max_children = std::max(max_children, t.children.size());
      nchildren += t.children.size();
      for (uint32_t ci : t.conditions) nops += f.conditions[ci].ops.size();
    }
    // Reserved up front: nodes_ point into ops_ and child_masks_.
    ops_.reserve(nops);
    child_masks_.reserve(2 * nchildren);
    nodes_.reserve(f.nodes.size());
    for (const auto& t : f.nodes) {
      Node n{mask(t.not_self), mask(t.absent_self), mask(t.children_absent), mask(t.absent_all),
             mask(t.children_fail), t.conditions.size(), &t,
             nullptr, nullptr, ops_.data() + ops_.size(), 0, probes_.size(), pred_.size()};
      for (const auto& ch : t.children) probes_.push_back(make_probe(ch.key));
      pred_.insert(pred_.end(), t.children.size() + 1, -1);
      unnamed_.resize(pred_.size());
      n.child_absent_all = child_masks_.data() + child_masks_.size();
      for (const auto& ch : t.children) child_masks_.push_back(mask(f.nodes[ch.node].absent_all));
      n.child_ref = child_masks_.data() + child_masks_.size();
      for (const auto& ch : t.children) {
        const TrieNode& c = f.nodes[ch.node];
        child_masks_.push_back(~(mask(c.not_self) & mask(c.children_fail)));
      }
      for (uint32_t ci : t.conditions) {
        const Condition& c = f.conditions[ci];
        for (size_t k = 0; k < c.ops.size(); ++k) {
          const LeafOp& op = c.ops[k];
          const size_t len = op.text.size();
          const uint64_t head = KeyIndex::head(op.text.data(), len);
          const bool ascii = std::all_of(op.text.begin(), op.text.end(), [](char ch) {
            return static_cast<unsigned char>(ch) < 0x80;
          });
          ops_.push_back({op.op, len, head,
                          len >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * len)) - 1, op.text.data(),
                          &op, mask(c.mask), c.ops.size() - k,
                          op.op == Op::kEqualsIgnoreCase && ascii && len >= 1 && len <= 8
                              ? ascii_lower(head)
                              : 0});
        }
      }
      n.nops = static_cast<size_t>(ops_.data() + ops_.size() - n.ops);
      nodes_.push_back(n);
    }
    all_ = mask(f.all_alternatives);
    // "Seen" bytes for objects with more than 64 named children, one row
    // per level: a trie step costs one level, an array one more.
    max_children_ = max_children;
    seen_.assign((2 * f.max_depth + 4) * max_children, 0);
    size_t nslots = 0;
    for (auto& n : nodes_) {
      n.guesses = nslots;
      nslots += n.trie->children.size();
    }
    guess_lists_.resize(nslots);
    for (const int32_t top : {f.value_node, f.key_node}) {
      if (top < 0) continue;
      Node& nd = nodes_[static_cast<size_t>(top)];
      const size_t nkids = nd.trie->children.size();
      if (nkids > kMaxTableChildren) continue;
      auto table = std::make_unique<B[]>(size_t{1} << nkids);
      table[0] = B::none();
      for (size_t m = 1; m < (size_t{1} << nkids); ++m) {
        const size_t ci = static_cast<size_t>(__builtin_ctzll(m));
        table[m] = table[m & (m - 1)] | nd.child_ref[ci];
      }
      nd.unseen_refs = table.get();
      unseen_ref_tables_.push_back(std::move(table));
    }
    index_.resize(f.nodes.size());
    for (size_t i = 0; i < f.nodes.size(); ++i) index_[i].build(f.nodes[i]);
  }

  bool match(const uint8_t* key, size_t key_len, bool key_null, const uint8_t* value,
             size_t value_len, bool value_null) override {
    if (f_.key_node < 0 && f_.value_node >= 0 && !value_null) {
      // The usual case, patterns on the value only.
      const auto n = static_cast<uint32_t>(f_.value_node);
      bool unfinished = false;
      const B r = eval_part(0, n, value, value_len, all_, true, &unfinished);
      const bool result = (all_ & r).any();
      if (!unfinished) return result;
      const bool string_result = (all_ & eval_string(0, n)).any();
      return string_result == result || rest_is_json(0) ? result : string_result;
    }
    const int32_t nodes[2] = {f_.value_node, f_.key_node};
    const uint8_t* data[2] = {value, key};
    const size_t lens[2] = {value_len, key_len};
    const bool nulls[2] = {value_null, key_null};
    B res[2];
    bool known[2];  // res[p] is final (not from an early stop)
    bool unfinished[2] = {false, false};
    for (int p = 0; p < 2; ++p) {
      known[p] = nodes[p] < 0 || nulls[p];
      if (nodes[p] < 0) {
        res[p] = B::all();
      } else if (nulls[p]) {
        res[p] = nodes_[static_cast<size_t>(nodes[p])].absent_all;
      }
    }
    // The key first: it is usually small, and the value's walk can then stop
    // as soon as its answer is certain.
    for (int p : {1, 0}) {
      if (known[p]) continue;
      const bool other_known = known[1 - p];
      res[p] = eval_part(p, static_cast<uint32_t>(nodes[p]), data[p], lens[p],
                         other_known ? all_ & res[1 - p] : all_, other_known, &unfinished[p]);
      known[p] = !unfinished[p];
    }
    bool result = (all_ & res[0] & res[1]).any();
    for (int p = 0; p < 2; ++p) {
      if (!unfinished[p]) continue;
      const B as_string = eval_string(p, static_cast<uint32_t>(nodes[p]));
      const bool string_result = (all_ & as_string & res[1 - p]).any();
      if (string_result == result) continue;
      if (!rest_is_json(p)) {
        res[p] = as_string;
        result = string_result;
      }
    }
    return result;
  }

 private:
  // Whether the unread rest of a part's top-level object, which the answer
  // depends on, is valid JSON.
  bool rest_is_json(int part) {
    const char* q = skip_members(resume_[part], 1, resume_guesses_[part], kMemberGuesses);
    return q != nullptr && skip_ws(q) == copies_[part].end();
  }

  // ---- evaluation ----
  // A scalar at node n; children_fail: the children's mask to apply (their
  // absence for a JSON scalar, children_fail for a plain string).
  static Probe make_probe(const std::string& name) {
    Probe pr{};
    for (char c : name) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return pr;
    }
    // Compared in place, so at most the padding's length: a record that ends
    // sooner meets the padding's zeros, which no quoted name holds.
    if (name.size() + 2 > kPadding) return pr;
    pr.quoted = '"' + name + '"';
    pr.len = pr.quoted.size();
#if defined(__SSE2__)
    if (pr.len <= 16) {
      char b[16] = {};
      std::memcpy(b, pr.quoted.data(), pr.len);
      pr.bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
      pr.mask = pr.len == 16 ? 0xFFFFu : (1u << pr.len) - 1;
    }
#endif
    return pr;
  }

  // Whether the text at p (a key's opening quote; 16 bytes are readable:
  // the padding) is exactly the probe's quoted name.
  static bool probe_hits(const Probe& pr, const char* p) {
    if (pr.len == 0) return false;
#if defined(__SSE2__)
    if (pr.len <= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const auto eq = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, pr.bytes)));
      return (eq & pr.mask) == pr.mask;
    }
#endif
    return std::memcmp(p, pr.quoted.data(), pr.len) == 0;
  }

  // Remembers the quoted key at p (plain ASCII, no escapes: len bytes from
  // the opening to the closing quote) as the unnamed key of a guess slot.
  static void remember_unnamed(Probe* pr, const char* p, size_t len) {
#if defined(__SSE2__)
    if (len > 16) return;
    pr->len = len;
    pr->mask = len == 16 ? 0xFFFFu : (1u << len) - 1;
    pr->bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));  // the padding: readable
#else
    (void)pr, (void)p, (void)len;
#endif
  }

  static constexpr uint64_t kHighBits = 0x8080808080808080u;

  // Bytes 'A'..'Z' of x (all below 0x80) in lower case, the others as they are.
  static uint64_t ascii_lower(uint64_t x) {
    const uint64_t ge_a = x + 0x3F3F3F3F3F3F3F3Fu;  // top bit: byte >= 'A' (no carry: byte < 0x80)
    const uint64_t gt_z = x + 0x2525252525252525u;  // top bit: byte > 'Z'
    return x | (((ge_a & ~gt_z) & kHighBits) >> 2);
  }

  // A string's first 8 bytes (readable at every string the walker reads:
  // read_string, the padded copy).
  static uint64_t load8(const char* p) {
    uint64_t h;
    std::memcpy(&h, p, 8);
    return h;
  }

  [[gnu::always_inline]] static Res scalar(const Node& nd, Scalar& v, const B& children_mask) {
    B pin = B::none();
    const bool str = v.kind == Scalar::kString;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t vh = str ? load8(v.s.data()) : 0;
#else
    const uint64_t vh = str ? KeyIndex::head(v.s.data(), v.s.size()) : 0;
#endif
    for (size_t k = 0; k < nd.nops;) {
      const FastOp& op = nd.ops[k];
      {
        bool hit;
        switch (op.op) {
          case Op::kExactString:
            hit = str && v.s.size() == op.len && ((vh ^ op.head) & op.head_mask) == 0 &&
                  (op.len <= 8 || std::memcmp(v.s.data() + 8, op.text + 8, op.len - 8) == 0);
            break;
          case Op::kPrefix:
            hit = str && v.s.size() >= op.len && ((vh ^ op.head) & op.head_mask) == 0 &&
                  (op.len <= 8 || std::memcmp(v.s.data() + 8, op.text + 8, op.len - 8) == 0);
            break;
          case Op::kEqualsIgnoreCase:
            // An ASCII operand only matches ASCII text of its length (each
            // of its characters' case pairs is ASCII): compare lower cases.
            if (op.lower_head != 0) {
              hit = str && v.s.size() == op.len && ((vh & op.head_mask) & kHighBits) == 0 &&
                    ascii_lower(vh & op.head_mask) == op.lower_head;
            } else {
              hit = op_hits(*op.full, v);
            }
            break;
          case Op::kExists:
            hit = true;
            break;
          case Op::kNumeric:
            hit = v.kind == Scalar::kNumber && comparable(v) && in_range(*op.full, v.num);
            break;
          default:
            hit = op_hits(*op.full, v);
            break;
        }
        if (hit) {
          pin |= op.mask;
          k += op.rest;
        } else {
          ++k;
        }
      }
    }
    const B sat = (pin | nd.not_self) & children_mask;
    return {sat, pin & sat};
  }

  // The value at p (not whitespace) for trie node n; moves p past it. On
  // bytes that are not JSON, sets p to nullptr (the result is then
  // meaningless). The cursor is a local of the caller (a register) and goes
  // through p_ only into object() and array().
  [[gnu::always_inline]] Res value(uint32_t n, size_t lvl, const char*& p) {
    const Node& nd = nodes_[n];
    Scalar s{Scalar::kNull, {}};
    switch (*p) {
      case '{': {
        p_ = p;
        const Res r = object(n, lvl);
        p = p_;
        return r;
      }
      case '[': {
        p_ = p;
        const Res r = array(n, lvl);
        p = p_;
        return r;
      }
      case '"':
        s.kind = Scalar::kString;
        if (nd.nconds == 0) {
          p = skip_string(p + 1);
          return {nd.not_self & nd.children_absent, B::none()};
        }
        p = read_string<true>(p + 1, &s.s, &strbuf_);
        break;
      case 't':
      case 'f':
      case 'n':
        s.kind = *p == 't' ? Scalar::kTrue : *p == 'f' ? Scalar::kFalse : Scalar::kNull;
        p = read_literal(p);
        break;
      default: {
        NumberScan ns;
        const char* b = p;
        p = read_number<true>(p, &ns);
        if (p == nullptr) return {};
        s.kind = Scalar::kNumber;
        s.s = std::string_view(b, static_cast<size_t>(p - b));
        if (ns.has_value) {
          s.num_state = 1;
          s.num = ns.value;
        }
        break;
      }
    }
    if (p == nullptr) return {};
    return scalar(nd, s, nd.children_absent);
  }

  // The object at p_; moves p_ past it (nullptr: not JSON).
  [[gnu::noinline]] Res object(uint32_t n, size_t lvl) {
    const Node& nd = nodes_[n];
    const TrieNode& t = *nd.trie;
    if (t.children.empty()) {
      p_ = skip_container(p_, depth_);
      return {nd.absent_self, B::none()};
    }
    if (++depth_ > kMaxRecordDepth) {
      p_ = nullptr;
      return {};
    }
    const KeyIndex& index = index_[n];
    const size_t nchildren = t.children.size();
    B as = B::all(), ap = B::none();
    int32_t* next_key = pred_.data() + nd.pred;  // key order guesses, see Probe
    int32_t last = -1;                              // the last named key read here
    // Children seen so far: bits when there are at most 64, else bytes.
    const bool few = nchildren <= 64;
    uint64_t seen_bits = 0;
    uint8_t* seen_here = seen_.data() + lvl * max_children_;
    if (!few) std::memset(seen_here, 0, nchildren);
    auto was_seen = [&](size_t ci) {
      return few ? ((seen_bits >> ci) & 1) != 0 : seen_here[ci] != 0;
    };
    size_t remaining = nchildren;
    const char* p = skip_ws(p_ + 1);
    if (*p == '}') {
      ++p;
    } else {
      for (;;) {
        if (*p != '"') return fail();
        const KeyIndex::Entry* e;
        const int32_t guess = next_key[last + 1];
        Probe& other = unnamed_[nd.pred + static_cast<size_t>(last + 1)];
        if (guess >= 0 && probe_hits(probes_[nd.probes + static_cast<size_t>(guess)], p)) {
          e = &index.entry(static_cast<size_t>(guess));
          p += probes_[nd.probes + static_cast<size_t>(guess)].len;
        } else if (probe_hits(other, p)) {
          e = nullptr;  // the field no pattern names that came here last time
          p += other.len;
        } else {
          // The key, in place when it is plain ASCII without escapes.
          std::string_view key;
          const char* k = p + 1;
          const char* q = find_string_special(k);
          bool in_place = *q == '"';
          if (in_place) {
            key = std::string_view(k, static_cast<size_t>(q - k));
            p = q + 1;
          } else {
            p = read_string<true>(k, &key, &keybuf_);
            if (p == nullptr) return fail();
            in_place = key.data() == k;  // non-ASCII without escapes
          }
          // 8 bytes are readable at a key in place (the padding).
          e = in_place ? index.find_wide(key.data(), key.size())
                       : index.find(key.data(), key.size());
          if (e != nullptr) {
            next_key[last + 1] = static_cast<int32_t>(e->child);
          } else if (q + 1 == p) {
            remember_unnamed(&other, k - 1, static_cast<size_t>(p - k + 1));
          }
        }
        if (*p != ':') {
          p = skip_ws(p);
          if (*p != ':') return fail();
        }
        p = skip_ws(p + 1);
        if (e != nullptr) last = static_cast<int32_t>(e->child);
        if (e == nullptr || was_seen(e->child)) {
          p = skip_value(p, depth_);  // also a repeated key: the first counts
          if (p == nullptr) return fail();
        } else {
          if (few) {
            seen_bits |= uint64_t{1} << e->child;
          } else {
            seen_here[e->child] = 1;
          }
          const Res r = value(e->node, lvl + 1, p);
          if (p == nullptr) return fail();
          as &= r.sat;
          ap |= r.pin;
          --remaining;
          if (lvl == 1 && (remaining == 0 || settled(nd, as, r.pin, seen_bits, seen_here, few))) {
            resume_at_ = p;  // the record's top level: stop, check the rest later if needed
            resume_guesses_at_ = guesses(nd, last);
            break;
          }
          if (remaining == 0) {  // every field the patterns name here was read
            p = skip_members(p, depth_, guesses(nd, last), kMemberGuesses);
            if (p == nullptr) return fail();
            break;
          }
        }
        if (*p == ',') {
          p = skip_ws(p + 1);
          continue;
        }
        if (*p != '}') {
          p = skip_ws(p);
          if (*p == ',') {
            p = skip_ws(p + 1);
            continue;
          }
          if (*p != '}') return fail();
        }
        ++p;
        break;
      }
    }
    p_ = p;
    --depth_;
    for (size_t ci = 0; remaining > 0 && ci < nchildren; ++ci) {
      if (!was_seen(ci)) as &= nd.child_absent_all[ci];
    }
    const B sat = as & nd.absent_self;
    return {sat, ap & sat};
  }

  // At the record's top level, after a named field: whether the answer no
  // longer depends on the fields not read yet. Either no alternative can
  // hold any more (and the bytes read as a plain string would not match
  // either, so validity does not matter), or one holds whatever comes: it
  // is satisfied and names none of the unseen fields (the rest must then
  // still be valid JSON: match() checks it).
  bool settled(const Node& nd, const B& as, const B& pin, uint64_t seen_bits,
               const uint8_t* seen_here, bool few) const {
    const B alive = as & nd.absent_self & top_filter_;
    if (!alive.any()) return top_reject_ok_;
    if (!top_accept_ok_ || !(pin & alive).any()) return false;
    B refd = B::none();
    const size_t nchildren = nd.trie->children.size();
    if (few) {
      uint64_t unseen = ~seen_bits & (nchildren == 64 ? ~uint64_t{0} : (uint64_t{1} << nchildren) - 1);
      if (nd.unseen_refs != nullptr) {
        refd = nd.unseen_refs[unseen];
      } else {
        for (; unseen; unseen &= unseen - 1) refd |= nd.child_ref[__builtin_ctzll(unseen)];
      }
    } else {
      for (size_t ci = 0; ci < nchildren; ++ci) {
        if (!seen_here[ci]) refd |= nd.child_ref[ci];
      }
    }
    return (alive & ~refd).any();
  }

  // An array and every array nested in it, as one list of elements.
  [[gnu::noinline]] Res array(uint32_t n, size_t lvl) {
    const Node& nd = nodes_[n];
    B as = B::all(), ap = B::none();
    size_t open = 0;
    const char* p = p_;
  open:  // p at '['
    if (++depth_ > kMaxRecordDepth) return fail();
    ++open;
    p = skip_ws(p + 1);
    if (*p == ']') goto close;
  element:  // p at the element's first byte
    if (*p == '[') goto open;
    {
      const Res r = value(n, lvl + 1, p);
      if (p == nullptr) return fail();
      as &= r.sat;
      ap |= r.pin;
    }
  after:  // p after an element
    if (*p == ',') {
      p = skip_ws(p + 1);
      goto element;
    }
    if (*p != ']') {
      if (!is_ws(*p)) return fail();
      p = skip_ws(p);
      goto after;
    }
  close:  // p at ']'
    ++p;
    --depth_;
    if (--open > 0) goto after;
    p_ = p;
    return {ap | (as & nd.absent_all), ap};
  }

  Res fail() {
    p_ = nullptr;
    return {};
  }

  // The record part (its padded copy) as a plain string: invalid UTF-8 is
  // replaced by U+FFFD, as a Java decoder does.
  B eval_string(int part, uint32_t n) {
    const Node& nd = nodes_[n];
    if (nd.nconds == 0) return nd.not_self & nd.children_fail;  // only object patterns here
    const PaddedCopy& c = copies_[part];
    const auto* p = reinterpret_cast<const uint8_t*>(c.data());
    const size_t len = static_cast<size_t>(c.end() - c.data());
    Scalar s{Scalar::kString, std::string_view(c.data(), len)};
    if (!is_valid_utf8(p, len)) {
      repaired_.clear();
      repair_utf8(p, len, &repaired_);
      const size_t rn = repaired_.size();
      repaired_.append(8, '\0');  // 8 readable bytes, as everywhere (scalar())
      s.s = std::string_view(repaired_.data(), rn);
    }
    return scalar(nd, s, nd.children_fail).sat;
  }

  // One record part: as JSON when it is (*unfinished when its top-level
  // object was left partly unread: resume_[part]), else as a plain string.
  // filter: the alternatives still possible given the other part (exactly
  // when other_known, else all of them).
  B eval_part(int part, uint32_t n, const uint8_t* p, size_t len, const B& filter,
              bool other_known, bool* unfinished) {
    const char* text = copies_[part].set(p, len);
    if (len == 0) return eval_string(part, n);
    const Node& nd = nodes_[n];
    top_filter_ = filter;
    top_accept_ok_ = other_known;
    // Stopping on "no alternative left" skips the validity check: only when
    // the plain-string reading cannot match either.
    top_reject_ok_ = nd.nconds == 0 && !(filter & nd.not_self & nd.children_fail).any();
    depth_ = 0;
    resume_at_ = nullptr;
    const char* at = skip_ws(text);
    const Res r = value(n, 1, at);
    if (at == nullptr || (resume_at_ == nullptr && skip_ws(at) != text + len)) {
      return eval_string(part, n);
    }
    resume_[part] = resume_at_;
    resume_guesses_[part] = resume_guesses_at_;
    *unfinished = resume_at_ != nullptr;
    return r.sat;
  }

  // The member starts met when the rest of an object is skipped (the fields
  // after one the patterns name), see MemberGuess: one list per named field
  // the skip follows (last: its child index), since records from one
  // producer that stop at the same field go on with the same keys.
  static constexpr size_t kMemberGuesses = 16;
  MemberGuess* guesses(const Node& nd, int32_t last) {
    auto& list = guess_lists_[nd.guesses + static_cast<size_t>(last)];
    if (!list) list = std::make_unique<MemberGuess[]>(kMemberGuesses);
    return list.get();
  }

  const CompiledFilter& f_;
  std::vector<Node> nodes_;  // by trie node index
  std::vector<std::unique_ptr<MemberGuess[]>> guess_lists_;  // mutable, see Node::guesses
  std::vector<std::unique_ptr<B[]>> unseen_ref_tables_;  // see Node::unseen_refs
  std::vector<FastOp> ops_;
  std::vector<B> child_masks_;
  std::vector<Probe> probes_;
  std::vector<int32_t> pred_;  // mutable: key order guesses
  // Mutable, parallel to pred_: the key no pattern names that followed
  // there in the last record where it was not guessed.
  std::vector<Probe> unnamed_;
  B all_;
  size_t max_children_ = 1;
  std::vector<uint8_t> seen_;
  std::vector<KeyIndex> index_;  // per trie node
  std::string strbuf_, keybuf_;  // unescaped strings
  std::string repaired_;
  PaddedCopy copies_[2];  // value, key
  // The part being read.
  B top_filter_;
  bool top_accept_ok_ = false, top_reject_ok_ = false;
  const char* p_ = nullptr;
  size_t depth_ = 0;
  const char* resume_at_ = nullptr;
  MemberGuess* resume_guesses_at_ = nullptr;
  // Per part (value, key): where its unfinished top level resumes, and the
  // guesses for the members there.
  const char* resume_[2] = {nullptr, nullptr};
  MemberGuess* resume_guesses_[2] = {nullptr, nullptr};
};

}  // namespace
}  // namespace internal

Matcher::Matcher(std::shared_ptr<const Filter> f) : filter_(std::move(f)) {
  const CompiledFilter& c = filter_->compiled();
  static_assert((kMaxAlternatives + 63) / 64 <= 16);
  if (c.words == 1) {
    walker_ = std::make_unique<internal::WalkerImpl<1>>(c);
  } else if (c.words <= 4) {
    walker_ = std::make_unique<internal::WalkerImpl<4>>(c);
  } else {
    walker_ = std::make_unique<internal::WalkerImpl<16>>(c);
  }
}

Matcher::~Matcher() = default;

bool Matcher::match(const uint8_t* key, size_t key_len, bool key_null, const uint8_t* value,
                    size_t value_len, bool value_null) {
  return walker_->match(key, key_len, key_null, value, value_len, value_null);
}

}  // namespace sluice::filter
