// matcher.cc: Matcher, the operators on scalars, the reusable scratch memory,
// and the walker built against simdjson's portable kernel (the AVX2 build is
// in matcher_avx2.cc).
#include "core/filter/matcher.h"

#include <simdjson.h>

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#endif

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

std::string_view scalar_token(std::string_view raw) {
  size_t n = 0;
  while (n < raw.size()) {
    const char c = raw[n];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ']' || c == '}' ||
        c == ':' || c == '[' || c == '{') {
      break;
    }
    ++n;
  }
  return raw.substr(0, n);
}

Scratch::Scratch(const CompiledFilter& f) : words_(f.words) {
  for (const auto& n : f.nodes) max_children_ = std::max(max_children_, n.children.size());
  grow(f.max_depth + 4);
  for (auto& r : results_) r.assign(words_, 0);
}

void Scratch::grow(size_t lvl) {
  levels_ = std::max(lvl + 1, levels_ * 2);
  bits_store_.resize(levels_ * 4 * words_);
  seen_store_.resize(levels_ * max_children_);
  bits_ = bits_store_.data();
  seen_ = seen_store_.data();
}

const char* Scratch::pad(int part, const uint8_t* p, size_t n, size_t* capacity) {
  const auto i = static_cast<size_t>(part);
  if (p != nullptr) {
    if (cap_[i] < n + simdjson::SIMDJSON_PADDING) {
      cap_[i] = (n + simdjson::SIMDJSON_PADDING) * 2;
      buf_[i].reset(new char[cap_[i]]);
    }
    if (n) std::memcpy(buf_[i].get(), p, n);
    std::memset(buf_[i].get() + n, 0, simdjson::SIMDJSON_PADDING);
  }
  *capacity = cap_[i];
  return buf_[i].get();
}

std::string_view Scratch::repaired(const uint8_t* p, size_t n) {
  if (is_valid_utf8(p, n)) return std::string_view(reinterpret_cast<const char*>(p), n);
  repaired_.clear();
  repair_utf8(p, n, &repaired_);
  return repaired_;
}

namespace {
namespace od = simdjson::ondemand;
#include "core/filter/matcher_engine.inc"
}  // namespace

std::unique_ptr<Engine> make_portable_engine(const CompiledFilter& f) {
  return std::make_unique<WalkEngine>(f);
}

bool avx2_engine_supported() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static const bool ok = [] {
    __builtin_cpu_init();
    // LZCNT (AMD's "ABM" bit) by cpuid: clang's __builtin_cpu_supports knows
    // neither "abm" nor "lzcnt".
    unsigned a = 0, b = 0, c = 0, d = 0;
    const bool lzcnt = __get_cpuid(0x80000001u, &a, &b, &c, &d) && (c & (1u << 5)) != 0;
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("pclmul") &&
           __builtin_cpu_supports("popcnt") && lzcnt;
  }();
  return ok;
#else
  return false;
#endif
}

}  // namespace internal

Matcher::Matcher(std::shared_ptr<const Filter> f) : filter_(std::move(f)) {
  const CompiledFilter& c = filter_->compiled();
  engine_ = internal::avx2_engine_supported() ? internal::make_avx2_engine(c)
                                              : internal::make_portable_engine(c);
}

Matcher::~Matcher() = default;

bool Matcher::match(const uint8_t* key, size_t key_len, bool key_null, const uint8_t* value,
                    size_t value_len, bool value_null) {
  return engine_->match(key, key_len, key_null, value, value_len, value_null);
}

}  // namespace sluice::filter
