// json_escape.cc: see json_escape.h for the rules.
#include "core/event/json_escape.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace sluice::event {
namespace {

// True when one of the 8 bytes in w needs more than a plain copy: a byte
// >= 0x80, < 0x20, '"' or '\'. May report true spuriously after a real hit
// (borrows), never false when a hit exists.
inline bool needs_care(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  const uint64_t below_space = (w - kOnes * 0x20) & ~w;
  const uint64_t q = w ^ (kOnes * '"');
  const uint64_t bs = w ^ (kOnes * '\\');
  const uint64_t quote = (q - kOnes) & ~q;
  const uint64_t backslash = (bs - kOnes) & ~bs;
  return ((w | below_space | quote | backslash) & kHigh) != 0;
}

// Output width of ASCII bytes (< 0x80): 1, 2 (short escape) or 6 (\u00xx).
struct AsciiWidth {
  std::array<uint8_t, 128> w{};
  constexpr AsciiWidth() {
    for (int c = 0; c < 128; ++c) w[c] = c < 0x20 ? 6 : 1;
    for (int c : {'"', '\\', '\b', '\f', '\n', '\r', '\t'}) w[c] = 2;
  }
};
constexpr AsciiWidth kWidth;

constexpr char kReplacement[] = "\\ufffd";  // 6 chars

// Length of the well-formed UTF-8 sequence starting at p (p[0] >= 0x80), or 0
// when p[0] does not start one. avail >= 1 bytes are readable.
inline size_t utf8_sequence_length(const uint8_t* p, size_t avail) {
  const uint8_t c = p[0];
  auto cont = [](uint8_t b) { return (b & 0xC0) == 0x80; };
  if (c < 0xC2) return 0;  // continuation byte, or overlong 2-byte lead
  if (c < 0xE0) return avail >= 2 && cont(p[1]) ? 2 : 0;
  if (c < 0xF0) {
    if (avail < 3) return 0;
    const uint8_t lo = c == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
    const uint8_t hi = c == 0xED ? 0x9F : 0xBF;  // no surrogates
    return p[1] >= lo && p[1] <= hi && cont(p[2]) ? 3 : 0;
  }
  if (c < 0xF5) {
    if (avail < 4) return 0;
    const uint8_t lo = c == 0xF0 ? 0x90 : 0x80;  // no overlong forms
    const uint8_t hi = c == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    return p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3]) ? 4 : 0;
  }
  return 0;
}

}  // namespace

size_t json_escaped_size(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const uint8_t* end = p + s.size();
  size_t size = 0;
  while (p < end) {
    if (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (!needs_care(w)) {
        p += 8;
        size += 8;
        continue;
      }
    }
    if (*p < 0x80) {
      size += kWidth.w[*p++];
      continue;
    }
    const size_t len = utf8_sequence_length(p, static_cast<size_t>(end - p));
    if (len == 0) {
      size += sizeof(kReplacement) - 1;
      ++p;
    } else {
      size += len;
      p += len;
    }
  }
  return size;
}

char* json_escape(std::string_view s, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const uint8_t* end = p + s.size();
  while (p < end) {
    if (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (!needs_care(w)) {
        std::memcpy(out, p, 8);
        p += 8;
        out += 8;
        continue;
      }
    }
    const uint8_t c = *p;
    if (c >= 0x80) {
      const size_t len = utf8_sequence_length(p, static_cast<size_t>(end - p));
      if (len == 0) {
        std::memcpy(out, kReplacement, sizeof(kReplacement) - 1);
        out += sizeof(kReplacement) - 1;
        ++p;
      } else {
        std::memcpy(out, p, len);
        out += len;
        p += len;
      }
      continue;
    }
    ++p;
    switch (kWidth.w[c]) {
      case 1:
        *out++ = static_cast<char>(c);
        break;
      case 2: {
        char e = static_cast<char>(c);
        switch (c) {
          case '\b': e = 'b'; break;
          case '\f': e = 'f'; break;
          case '\n': e = 'n'; break;
          case '\r': e = 'r'; break;
          case '\t': e = 't'; break;
          default: break;  // '"' and '\' stand for themselves
        }
        out[0] = '\\';
        out[1] = e;
        out += 2;
        break;
      }
      default:
        std::memcpy(out, "\\u00", 4);
        out[4] = kHex[c >> 4];
        out[5] = kHex[c & 0xf];
        out += 6;
        break;
    }
  }
  return out;
}

std::string json_escape(std::string_view s) {
  std::string out(json_escaped_size(s), '\0');
  json_escape(s, out.data());
  return out;
}

}  // namespace sluice::event
