// json_scan.h: the byte-level JSON reader the record walker (matcher.cc) is
// built from. It checks everything RFC 8259 asks plus what sluice adds
// (docs/FILTERS.md): strings hold valid UTF-8 (Unicode table 3-7) and no
// control characters, \u escapes are well-formed with surrogates paired,
// numbers follow the grammar, and arrays and objects nest at most
// kMaxRecordDepth levels.
//
// The text must be followed by kPadding zero bytes (the walker copies each
// record part into such a buffer). A zero byte is never valid where a token
// is read (JSON has no raw NUL anywhere), so the padding stops every loop
// without bounds checks and makes wide loads safe; only the end of the
// top-level value is compared with the real end.
//
// Every function takes the current position and returns the position after
// what it read, or nullptr when the bytes are not JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/filter/filter.h"
#include "core/filter/text.h"

namespace sluice::filter::internal {

inline constexpr size_t kPadding = 64;

inline bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

inline const char* skip_ws(const char* p) {
  while (static_cast<unsigned char>(*p) <= ' ' && is_ws(*p)) ++p;
  return p;
}

// The first byte at or after p that is '"', '\\' or a control character
// (the padding's zeros included), or with kNonAscii also a byte >= 0x80.
template <bool kNonAscii>
inline const char* find_in_string(const char* p) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i bslash = _mm_set1_epi8('\\');
  for (;; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Signed "< 0x20" catches control characters and, since bytes >= 0x80 are
    // negative, non-ASCII ones; unsigned "<= 0x1F" (via min) only the former.
    const __m128i stop = kNonAscii ? _mm_cmplt_epi8(v, _mm_set1_epi8(0x20))
                                   : _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    const __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)), stop);
    if (const auto bits = static_cast<uint32_t>(_mm_movemask_epi8(m))) {
      return p + __builtin_ctz(bits);
    }
  }
#else
  for (;; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c < 0x20 || (kNonAscii && c >= 0x80)) return p;
  }
#endif
}

// Where a string's ASCII fast path stops: also at the first non-ASCII byte.
inline const char* find_string_special(const char* p) { return find_in_string<true>(p); }

// Where a run of string text that may hold non-ASCII bytes ends.
inline const char* find_string_stop(const char* p) { return find_in_string<false>(p); }

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Stops at the first non-hex byte, so it never reads past a zero.
inline bool hex4(const char* p, uint32_t* out) {
  uint32_t v = 0;
  for (int k = 0; k < 4; ++k) {
    const int h = hex_digit(p[k]);
    if (h < 0) return false;
    v = (v << 4) | static_cast<uint32_t>(h);
  }
  *out = v;
  return true;
}

inline void append_utf8(char32_t c, std::string* s) {
  if (c < 0x80) {
    s->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    s->push_back(static_cast<char>(0xC0 | (c >> 6)));
    s->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    s->push_back(static_cast<char>(0xE0 | (c >> 12)));
    s->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    s->push_back(static_cast<char>(0xF0 | (c >> 18)));
    s->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    s->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// One escape sequence at p (which is '\\'); appends what it stands for to
// *out when out is given. Returns the position after it.
inline const char* read_escape(const char* p, std::string* out) {
  char c;
  switch (p[1]) {
    case '"': c = '"'; break;
    case '\\': c = '\\'; break;
    case '/': c = '/'; break;
    case 'b': c = '\b'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'u': {
      uint32_t u;
      if (!hex4(p + 2, &u)) return nullptr;
      p += 6;
      if (u >= 0xD800 && u <= 0xDBFF) {
        uint32_t lo;
        if (p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
          return nullptr;  // a high surrogate must be followed by a low one
        }
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
      } else if (u >= 0xDC00 && u <= 0xDFFF) {
        return nullptr;  // a lone low surrogate
      }
      if (out) append_utf8(u, out);
      return p;
    }
    default:
      return nullptr;
  }
  if (out) out->push_back(c);
  return p + 2;
}

// The string from start (just after its opening quote) whose first special
// byte (find_string_special) at q is not its closing quote: escapes,
// non-ASCII text, errors. kRead: *out gets its bytes, in place when it has no
// escapes, else unescaped into *buf (followed there by 8 zero bytes, so that
// 8 bytes are readable at any string read, as in place). Returns the
// position after the closing quote.
template <bool kRead>
[[gnu::noinline]] inline const char* read_string_slow(const char* start, const char* q,
                                                      std::string_view* out, std::string* buf) {
  const char* p = start;
  bool escaped = false;
  for (;; q = find_string_special(p)) {
    const auto c = static_cast<unsigned char>(*q);
    if (c == '"') {
      if constexpr (kRead) {
        if (escaped) {
          buf->append(p, static_cast<size_t>(q - p));
          const size_t n = buf->size();
          buf->append(8, '\0');  // 8 readable bytes at any string, as in the padded text
          *out = std::string_view(buf->data(), n);
        } else {
          *out = std::string_view(start, static_cast<size_t>(q - start));
        }
      }
      return q + 1;
    }
    if (c == '\\') {
      if constexpr (kRead) {
        if (!escaped) {
          buf->assign(start, static_cast<size_t>(q - start));
          escaped = true;
        } else {
          buf->append(p, static_cast<size_t>(q - p));
        }
        p = read_escape(q, buf);
      } else {
        p = read_escape(q, nullptr);
      }
      if (!p) return nullptr;
      continue;
    }
    if (c < 0x20) return nullptr;  // a control character, or the end
    // Not ASCII: the text up to the next quote, backslash or control
    // character is checked as UTF-8 at once (is_valid_utf8: simdjson's
    // kernel for long runs). A sequence cannot span that byte: it is ASCII.
    const char* r = find_string_stop(q);
    if (!is_valid_utf8(reinterpret_cast<const uint8_t*>(q), static_cast<size_t>(r - q))) {
      return nullptr;
    }
    if constexpr (kRead) {
      if (escaped) buf->append(p, static_cast<size_t>(r - p));
    }
    p = r;
  }
}

// Reads the string whose opening quote is at p[-1] (see read_string_slow).
template <bool kRead>
inline const char* read_string(const char* p, std::string_view* out, std::string* buf) {
  const char* q = find_string_special(p);
  if (*q == '"') {
    if constexpr (kRead) *out = std::string_view(p, static_cast<size_t>(q - p));
    return q + 1;
  }
  return read_string_slow<kRead>(p, q, out, buf);
}

inline const char* skip_string(const char* p) { return read_string<false>(p, nullptr, nullptr); }

inline bool is_digit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }

// The first byte at or after p that is not an ASCII digit, 8 bytes at a time
// (the padding makes them readable).
inline const char* skip_digits(const char* p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  for (;; p += 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    // Digits become 0..9; adding 0x76 sets a byte's top bit when it was
    // more than 9 (a carry only moves up, past the first non-digit).
    const uint64_t t = v ^ 0x3030303030303030u;
    const uint64_t bad = ((t + 0x7676767676767676u) | t) & 0x8080808080808080u;
    if (bad) return p + (__builtin_ctzll(bad) >> 3);
  }
#else
  while (is_digit(*p)) ++p;
  return p;
#endif
}

// A number's value when it is simple enough: numbers of at most 15 digits
// without an exponent are comparable (docs/FILTERS.md) and their double is
// the exactly rounded quotient of two exact doubles.
struct NumberScan {
  bool has_value = false;
  double value = 0;
};

// kValue: fill *ns (else ns is unused and may be null).
template <bool kValue>
inline const char* read_number(const char* p, NumberScan* ns) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const bool neg = *p == '-';
  if (neg) ++p;
  uint64_t m = 0;
  int digits = 0;
  if (*p == '0') {
    ++p;
  } else if (*p >= '1' && *p <= '9') {
    const char* s = p;
    p = skip_digits(p);
    digits = static_cast<int>(p - s);
    if constexpr (kValue) {
      if (digits <= 15) {
        for (const char* c = s; c < p; ++c) m = m * 10 + static_cast<uint64_t>(*c - '0');
      }
    }
  } else {
    return nullptr;
  }
  int frac = 0;
  if (*p == '.') {
    ++p;
    const char* s = p;
    p = skip_digits(p);
    frac = static_cast<int>(p - s);
    if (frac == 0) return nullptr;
    digits += frac;
    if constexpr (kValue) {
      if (digits <= 15) {
        for (const char* c = s; c < p; ++c) m = m * 10 + static_cast<uint64_t>(*c - '0');
      }
    }
  }
  bool exp = false;
  if ((*p | 0x20) == 'e') {
    exp = true;
    ++p;
    if (*p == '+' || *p == '-') ++p;
    const char* s = p;
    p = skip_digits(p);
    if (p == s) return nullptr;
  }
  if constexpr (kValue) {
    // digits counts leading zeros of the fraction too: m < 10^15 < 2^53.
    ns->has_value = !exp && digits <= 15;
    if (ns->has_value) {
      const double v = static_cast<double>(m) / kPow10[frac];
      ns->value = neg && m != 0 ? -v : v;  // -0 folds into 0
    }
  }
  return p;
}

// "true", "false", "null" at p (the padding makes 4 or 5 bytes readable).
inline const char* read_literal(const char* p) {
  switch (*p) {
    case 't':
      return std::memcmp(p, "true", 4) == 0 ? p + 4 : nullptr;
    case 'f':
      return std::memcmp(p, "false", 5) == 0 ? p + 5 : nullptr;
    default:
      return std::memcmp(p, "null", 4) == 0 ? p + 4 : nullptr;
  }
}

// What starts a member of an object, as the last record had it: the byte
// before the key ('{' or ','), the key, the colon, and any whitespace
// between them: at most 16 bytes (else len is 0: no guess). A skip that is
// given a list of these compares the k-th member it meets with the k-th
// guess (one 16-byte compare): records from one producer repeat their keys
// in one order. The bytes were checked when they were learnt, and they form
// whole tokens, so a later hit at the same kind of place ('{' opening an
// object; ',' inside one) needs no new check.
struct MemberGuess {
  uint32_t len = 0;
#if defined(__SSE2__)
  uint32_t mask = 0;  // len low bits
  __m128i bytes;
#else
  char bytes[16];
#endif
};

// Whether the text at p (16 bytes readable: the padding) starts with g.
inline bool guess_hits(const MemberGuess& g, const char* p) {
  if (g.len == 0) return false;
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return (static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, g.bytes))) & g.mask) == g.mask;
#else
  return std::memcmp(p, g.bytes, g.len) == 0;
#endif
}

// Learns text[from, to) (checked: a member's start up to its colon).
inline void learn_guess(MemberGuess* g, const char* from, const char* to) {
  const auto len = static_cast<size_t>(to - from);
  if (len > 16) {
    g->len = 0;
    return;
  }
  g->len = static_cast<uint32_t>(len);
#if defined(__SSE2__)
  g->mask = len == 16 ? 0xFFFFu : (1u << len) - 1;
  g->bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from));  // the padding: readable
#else
  std::memcpy(g->bytes, from, len);
#endif
}

// The state machine behind skip_container and skip_members: arrays and
// objects nested in each other, checked, in one loop (no call per container).
// The open containers are bits in a fixed stack, so any input is read in
// linear time and constant memory. kRest: p is after a member of an object
// whose opening brace was read before (it is counted in `depth`); the rest of
// that object is read. Else p is at '{' or '[' and `depth` containers are
// open around it. Compact JSON (no whitespace between tokens) takes the
// straight path: each step first tests the byte that compact JSON has there.
// guesses[0..nguesses): see MemberGuess; missed ones are learnt.
template <bool kRest>
[[gnu::noinline]] inline const char* skip_nested(const char* p, size_t depth,
                                                 MemberGuess* guesses, size_t nguesses) {
  // Which open containers are objects: the innermost 64 in `bits` (bit 0
  // the innermost), outer ones 64 at a time in `spilled`.
  uint64_t spilled[(kMaxRecordDepth + 63) / 64];
  uint64_t bits;
  size_t d;  // containers open here
  // A container may open while d < limit (at most kMaxRecordDepth in all).
  const size_t limit = kMaxRecordDepth - (kRest ? depth - 1 : depth);
  char c;
  size_t k = 0;                    // members met so far: the next guess
  MemberGuess* learn = nullptr;    // the guess that missed at the member being read
  const char* learn_from = nullptr;
  // At a member's start ('{' or ','): the next guess, if any. A hit moves p
  // past the member's key and colon; a miss is learnt when the key is read.
  auto try_guess = [&]() -> bool {
    if (k >= nguesses) return false;
    MemberGuess& g = guesses[k++];
    if (guess_hits(g, p)) {
      p += g.len;
      return true;
    }
    learn = &g;
    learn_from = p;
    return false;
  };
  if constexpr (kRest) {
    bits = 1;
    d = 1;
    goto after;
  }
  bits = 0;
  d = 0;
open:  // p at '{' or '['
  if (d >= limit) return nullptr;
  if (d != 0 && d % 64 == 0) spilled[d / 64 - 1] = bits;
  ++d;
  if (*p == '{') {
    bits = (bits << 1) | 1;
    if (try_guess()) goto colon_read;
    c = *++p;
    if (c != '"') {
      p = skip_ws(p);
      c = *p;
      if (c == '}') {
        learn = nullptr;
        ++p;
        goto close;
      }
      if (c != '"') return nullptr;
    }
    goto member;
  }
  bits <<= 1;
  p = skip_ws(p + 1);
  if (*p == ']') {
    ++p;
    goto close;
  }
value:  // p at a value's first byte (not whitespace)
  c = *p;
  if (c == '"') {
    p = skip_string(p + 1);
  } else if (c == '{' || c == '[') {
    goto open;
  } else if (static_cast<unsigned char>(c - '0') <= 9 || c == '-') {
    p = read_number<false>(p, nullptr);
  } else {
    p = read_literal(p);  // rejects what is not a literal
  }
  if (!p) return nullptr;
after:  // p after a value in the innermost container
  c = *p;
  if (c == ',') {
    if (bits & 1) {
      if (try_guess()) goto colon_read;
      c = *++p;
      if (c != '"') {
        p = skip_ws(p);
        if (*p != '"') return nullptr;
      }
      goto member;
    }
    c = *++p;
    if (static_cast<unsigned char>(c) <= ' ') p = skip_ws(p);
    goto value;
  }
  if (c == '}') {
    if (!(bits & 1)) return nullptr;
    ++p;
    goto close;
  }
  if (c == ']') {
    if (bits & 1) return nullptr;
    ++p;
    goto close;
  }
  if (!is_ws(c)) return nullptr;
  p = skip_ws(p);
  goto after;
close:  // p after the closing bracket of the innermost container
  if (--d == 0) return p;
  bits >>= 1;
  if (d % 64 == 0) bits = spilled[d / 64 - 1];
  goto after;
member:  // p at a member's key (its opening quote)
  p = skip_string(p + 1);
  if (!p) return nullptr;
  if (*p != ':') {
    p = skip_ws(p);
    if (*p != ':') return nullptr;
  }
  ++p;
  if (learn != nullptr) {
    learn_guess(learn, learn_from, p);
    learn = nullptr;
  }
colon_read:  // p after a member's colon
  if (static_cast<unsigned char>(*p) <= ' ') p = skip_ws(p);
  goto value;
}

// The array or object at p, checked; `depth` as in skip_value.
inline const char* skip_container(const char* p, size_t depth) {
  return skip_nested<false>(p, depth, nullptr, 0);
}

// Skips one value at p (after any whitespace), checking it all; `depth` is
// the number of arrays and objects already open around it.
inline const char* skip_value(const char* p, size_t depth) {
  p = skip_ws(p);
  switch (*p) {
    case '"':
      return skip_string(p + 1);
    case '{':
    case '[':
      return skip_container(p, depth);
    case 't':
    case 'f':
    case 'n':
      return read_literal(p);
    default:
      return read_number<false>(p, nullptr);  // rejects what is not a number
  }
}

// The rest of an object whose members up to p were read: (',' member)* '}'.
// `depth` counts the object itself and those around it (at least 1);
// guesses: see skip_nested.
inline const char* skip_members(const char* p, size_t depth, MemberGuess* guesses = nullptr,
                                size_t nguesses = 0) {
  return skip_nested<true>(p, depth, guesses, nguesses);
}

// True when text[0..n), followed by kPadding zero bytes, is exactly one JSON
// value (whitespace around it).
inline bool is_json_padded(const char* text, size_t n) {
  const char* q = skip_value(text, 0);
  return q && skip_ws(q) == text + n;
}

}  // namespace sluice::filter::internal
