// text.h: the byte- and number-level helpers the filter needs: UTF-8 decoding
// and repair, per-code-point case pairs for equals-ignore-case, and
// event-ruler's notion of a "comparable" JSON number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::filter {

// One code point of an equals-ignore-case operand: a document code point
// matches it when it equals the lower- or the upper-case form (simple Unicode
// mappings), which is how event-ruler expands each character of the operand.
struct CasePair {
  char32_t lower;
  char32_t upper;
};

// Decodes the code point at s[*i] and advances *i. Invalid sequences decode
// as one kInvalidCodePoint per byte, which equals no operand code point.
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFFu;
char32_t decode_utf8(std::string_view s, size_t* i);
// As above, backwards: decodes the code point that ends at s[*end - 1] and
// moves *end to its first byte.
char32_t decode_utf8_back(std::string_view s, size_t* end);

// Whether p[0..n) is UTF-8 (Unicode Table 3-7: no overlong forms, no
// surrogates, nothing above U+10FFFF). From kSimdUtf8MinBytes on, simdjson's
// validate_utf8 checks it (its kernel is chosen at run time: AVX-512, AVX2,
// SSE4.2 or portable; no build flag needed); shorter runs, where that call's
// fixed cost dominates, are checked by is_valid_utf8_scalar. Both give the
// same answer on every input (text_test.cc compares them).
inline constexpr size_t kSimdUtf8MinBytes = 64;
bool is_valid_utf8(const uint8_t* p, size_t n);
bool is_valid_utf8_scalar(const uint8_t* p, size_t n);
bool is_valid_utf8_simdjson(const uint8_t* p, size_t n);
// Replaces each maximal invalid subsequence with U+FFFD (what a Java or
// WHATWG decoder does), appending the result to *out.
void repair_utf8(const uint8_t* p, size_t n, std::string* out);

// Case pairs of a valid UTF-8 string (the operand of an ignore-case operator).
std::vector<CasePair> case_pairs(std::string_view s);

// Whole-string, prefix and suffix comparisons against case pairs.
bool equals_ignore_case(std::string_view doc, const std::vector<CasePair>& pat);
bool prefix_ignore_case(std::string_view doc, const std::vector<CasePair>& pat);
bool suffix_ignore_case(std::string_view doc, const std::vector<CasePair>& pat);

// A JSON number text is "comparable" (takes part in numeric matching) when it
// is finite as a double and its decimal value is exactly the shortest decimal
// of that double: 0.1, 3e2, 100.00, -0 are; 0.30000000000000001, 1e400 and
// 12345678901234567 are not. This is event-ruler 2.x's rule (it compares
// BigDecimal(text) with BigDecimal.valueOf(double)). On success *out holds the
// value with -0 folded into +0.
bool comparable_number(std::string_view text, double* out);

// True when text is a JSON number (RFC 8259 grammar, nothing around it).
bool is_json_number(std::string_view text);

}  // namespace sluice::filter
