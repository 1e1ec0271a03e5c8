#include "core/filter/text.h"

#include <locale.h>
#include <wctype.h>

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstring>

#include <simdjson.h>

namespace sluice::filter {
namespace {

// Length of the UTF-8 sequence at p (1..4) when it is complete and well formed
// (Unicode table 3-7); otherwise the length of its maximal valid prefix (at
// least 1) and *ok = false.
size_t utf8_sequence(const uint8_t* p, size_t n, bool* ok, char32_t* cp) {
  const uint8_t b0 = p[0];
  *ok = true;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t need;
  uint8_t lo = 0x80, hi = 0xBF;  // range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    *ok = false;
    return 1;
  }
  char32_t c = b0 & (0x3F >> (need - 1));
  for (size_t k = 1; k < need; ++k) {
    if (k >= n) {
      *ok = false;
      return k;
    }
    const uint8_t b = p[k];
    const uint8_t l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) {
      *ok = false;
      return k;
    }
    c = (c << 6) | (b & 0x3F);
  }
  *cp = c;
  return need;
}

locale_t utf8_locale() {
  static const locale_t loc = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (l == static_cast<locale_t>(nullptr)) {
      l = newlocale(LC_CTYPE_MASK, "C.utf8", static_cast<locale_t>(nullptr));
    }
    return l;
  }();
  return loc;
}

char32_t to_lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  locale_t l = utf8_locale();
  return l ? static_cast<char32_t>(towlower_l(static_cast<wint_t>(c), l)) : c;
}

char32_t to_upper(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  locale_t l = utf8_locale();
  return l ? static_cast<char32_t>(towupper_l(static_cast<wint_t>(c), l)) : c;
}

inline bool pair_eq(char32_t c, const CasePair& p) { return c == p.lower || c == p.upper; }

// The significant digits of a JSON number text, without leading or trailing
// zeros, and E such that the value is 0.DIGITS x 10^E. Returns false when
// there are more than max digits. Zero gives no digits.
bool significant_digits(std::string_view t, char* digits, size_t max, size_t* nd, long* e10) {
  size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
  long point = -1;  // digits before the decimal point
  long seen = 0;    // digits seen so far (point position reference)
  long lead = -1;   // index (among all digits) of the first non-zero digit
  size_t n = 0, last_nonzero = 0;
  for (; i < t.size(); ++i) {
    const char ch = t[i];
    if (ch == '.') {
      point = seen;
      continue;
    }
    if (ch < '0' || ch > '9') break;
    if (ch != '0' || lead >= 0) {
      if (lead < 0) lead = seen;
      if (n >= max) {
        // Only zeros may follow past the limit; anything else is too precise.
        if (ch != '0') return false;
      } else {
        digits[n] = ch;
      }
      ++n;
      if (ch != '0') last_nonzero = n;
    }
    ++seen;
  }
  if (point < 0) point = seen;
  long exp = 0;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) neg = t[i++] == '-';
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
      if (exp < 100000000) exp = exp * 10 + (t[i] - '0');
    }
    if (neg) exp = -exp;
  }
  *nd = last_nonzero;
  *e10 = lead < 0 ? 0 : point - lead + exp;
  return true;
}

}  // namespace

char32_t decode_utf8(std::string_view s, size_t* i) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data()) + *i;
  if (p[0] < 0x80) {
    ++*i;
    return p[0];
  }
  bool ok;
  char32_t cp = 0;
  size_t len = utf8_sequence(p, s.size() - *i, &ok, &cp);
  if (!ok) {
    ++*i;
    return kInvalidCodePoint;
  }
  *i += len;
  return cp;
}

char32_t decode_utf8_back(std::string_view s, size_t* end) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t e = *end;
  if (p[e - 1] < 0x80) {
    --*end;
    return p[e - 1];
  }
  size_t start = e - 1;
  while (start > 0 && e - start < 4 && (p[start] & 0xC0) == 0x80) --start;
  size_t j = start;
  char32_t cp = decode_utf8(s, &j);
  if (cp == kInvalidCodePoint || j != e) {
    --*end;
    return kInvalidCodePoint;
  }
  *end = start;
  return cp;
}

bool is_valid_utf8(const uint8_t* p, size_t n) {
  return n >= kSimdUtf8MinBytes ? is_valid_utf8_simdjson(p, n) : is_valid_utf8_scalar(p, n);
}

bool is_valid_utf8_simdjson(const uint8_t* p, size_t n) {
  return simdjson::validate_utf8(reinterpret_cast<const char*>(p), n);
}

bool is_valid_utf8_scalar(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    bool ok;
    char32_t cp;
    i += utf8_sequence(p + i, n - i, &ok, &cp);
    if (!ok) return false;
  }
  return true;
}

void repair_utf8(const uint8_t* p, size_t n, std::string* out) {
  size_t i = 0;
  while (i < n) {
    bool ok = true;
    char32_t cp;
    size_t len = p[i] < 0x80 ? 1 : utf8_sequence(p + i, n - i, &ok, &cp);
    if (ok) {
      out->append(reinterpret_cast<const char*>(p + i), len);
    } else {
      out->append("\xEF\xBF\xBD");
    }
    i += len;
  }
}

std::vector<CasePair> case_pairs(std::string_view s) {
  std::vector<CasePair> out;
  size_t i = 0;
  while (i < s.size()) {
    char32_t c = decode_utf8(s, &i);
    out.push_back({to_lower(c), to_upper(c)});
  }
  return out;
}

bool equals_ignore_case(std::string_view doc, const std::vector<CasePair>& pat) {
  size_t i = 0, k = 0;
  const size_t n = doc.size(), m = pat.size();
  while (i < n && k < m) {
    if (!pair_eq(decode_utf8(doc, &i), pat[k])) return false;
    ++k;
  }
  return i == n && k == m;
}

bool prefix_ignore_case(std::string_view doc, const std::vector<CasePair>& pat) {
  size_t i = 0, k = 0;
  const size_t n = doc.size(), m = pat.size();
  while (k < m) {
    if (i >= n || !pair_eq(decode_utf8(doc, &i), pat[k])) return false;
    ++k;
  }
  return true;
}

bool suffix_ignore_case(std::string_view doc, const std::vector<CasePair>& pat) {
  size_t e = doc.size(), k = pat.size();
  while (k > 0) {
    if (e == 0 || !pair_eq(decode_utf8_back(doc, &e), pat[k - 1])) return false;
    --k;
  }
  return true;
}

bool is_json_number(std::string_view t) {
  size_t i = 0, n = t.size();
  if (i < n && t[i] == '-') ++i;
  if (i >= n) return false;
  if (t[i] == '0') {
    ++i;
  } else if (t[i] >= '1' && t[i] <= '9') {
    while (i < n && t[i] >= '0' && t[i] <= '9') ++i;
  } else {
    return false;
  }
  if (i < n && t[i] == '.') {
    ++i;
    size_t s = i;
    while (i < n && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == s) return false;
  }
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
    size_t s = i;
    while (i < n && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == s) return false;
  }
  return i == n;
}

bool comparable_number(std::string_view text, double* out) {
  double d = 0;
  const char* b = text.data();
  const char* e = b + text.size();
  auto r = std::from_chars(b, e, d, std::chars_format::general);
  if (r.ec != std::errc() || r.ptr != e || !std::isfinite(d)) return false;
  char in_digits[17];
  size_t in_n = 0;
  long in_e = 0;
  if (!significant_digits(text, in_digits, sizeof in_digits, &in_n, &in_e)) return false;
  d += 0.0;  // -0 -> +0
  if (in_n == 0) {
    *out = 0.0;
    return true;
  }
  // Up to 15 significant digits always survive decimal -> double -> shortest
  // decimal unchanged (DBL_DIG) while the double is normal.
  if (in_n <= 15 && std::fabs(d) >= DBL_MIN) {
    *out = d;
    return true;
  }
  char buf[64];
  auto w = std::to_chars(buf, buf + sizeof buf, d);
  if (w.ec != std::errc()) return false;
  char sh_digits[17];
  size_t sh_n = 0;
  long sh_e = 0;
  if (!significant_digits(std::string_view(buf, static_cast<size_t>(w.ptr - buf)), sh_digits,
                          sizeof sh_digits, &sh_n, &sh_e)) {
    return false;
  }
  if (sh_n != in_n || sh_e != in_e || std::memcmp(sh_digits, in_digits, in_n) != 0) return false;
  *out = d;
  return true;
}

}  // namespace sluice::filter
