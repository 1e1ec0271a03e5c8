// base64.cc: the scalar encoder, the strict decoder, the CPU checks and the
// run-time dispatch. The SIMD encoders are in base64_avx2.cc and
// base64_avx512.cc.
#include "core/event/base64.h"

#include <array>
#include <atomic>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace sluice::event {
namespace {

// Shortest input worth a masked AVX-512 step rather than the scalar loop.
constexpr size_t kAvx512MinBytes = 12;

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Two output characters per 12 input bits: one table read per pair instead of
// one per character. 8 KiB, stays in L1 while encoding a batch.
struct PairTable {
  std::array<char, 2 * 4096> chars{};
  constexpr PairTable() {
    for (int v = 0; v < 4096; ++v) {
      chars[2 * v] = kAlphabet[v >> 6];
      chars[2 * v + 1] = kAlphabet[v & 63];
    }
  }
};
constexpr PairTable kPairs;

inline void put_pair(char* out, uint32_t twelve_bits) {
  std::memcpy(out, &kPairs.chars[2 * twelve_bits], 2);
}

// 0..63 for alphabet characters, 64 for everything else ('=' included).
struct DecodeTable {
  std::array<uint8_t, 256> v{};
  constexpr DecodeTable() {
    for (auto& x : v) x = 64;
    for (int i = 0; i < 64; ++i) v[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
  }
};
constexpr DecodeTable kDecode;

// XCR0: which register state the OS saves. 0 when the OS has no XSAVE.
uint64_t os_saved_state() {
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE)) return 0;
  unsigned lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t{hi} << 32) | lo;
#else
  return 0;
#endif
}

bool detect_avx2() {
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_POPCNT)) return false;
  // XMM and YMM state (bits 1, 2), else AVX instructions fault even on a CPU
  // that has them.
  if ((os_saved_state() & 0x6) != 0x6) return false;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  return (ebx & bit_AVX2) && (ebx & bit_BMI) && (ebx & bit_BMI2);
#else
  return false;
#endif
}

bool detect_avx512vbmi() {
#if defined(__x86_64__) || defined(__i386__)
  // XMM, YMM, opmask, ZMM0-15 upper halves, ZMM16-31 (bits 1, 2, 5, 6, 7).
  if ((os_saved_state() & 0xe6) != 0xe6) return false;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  return (ebx & bit_AVX512F) && (ebx & bit_AVX512BW) && (ecx & bit_AVX512VBMI);
#else
  return false;
#endif
}

// -1: not decided yet; otherwise a Base64Impl (kScalar, kAvx2 or kAvx512).
std::atomic<int> g_active{-1};
std::atomic<int> g_requested{static_cast<int>(Base64Impl::kAuto)};

int decide() {
  const auto req = static_cast<Base64Impl>(g_requested.load(std::memory_order_relaxed));
  Base64Impl impl = Base64Impl::kScalar;
  if ((req == Base64Impl::kAuto || req == Base64Impl::kAvx512) && cpu_has_avx512vbmi()) {
    impl = Base64Impl::kAvx512;
  } else if (req != Base64Impl::kScalar && cpu_has_avx2()) {
    impl = Base64Impl::kAvx2;
  }
  g_active.store(static_cast<int>(impl), std::memory_order_relaxed);
  return static_cast<int>(impl);
}

inline int active_impl() {
  const int a = g_active.load(std::memory_order_relaxed);
  return a >= 0 ? a : decide();
}

}  // namespace

bool cpu_has_avx2() {
  static const bool has = detect_avx2();
  return has;
}

bool cpu_has_avx512vbmi() {
  static const bool has = detect_avx512vbmi();
  return has;
}

void base64_set_impl_for_testing(Base64Impl impl) {
  g_requested.store(static_cast<int>(impl), std::memory_order_relaxed);
  decide();
}

Base64Impl base64_active_impl() { return static_cast<Base64Impl>(active_impl()); }

size_t base64_encode(const uint8_t* in, size_t n, char* out) {
  // Below 28 bytes the AVX2 encoder would only run its scalar tail; the
  // AVX-512 one handles short inputs with one masked step.
  const int impl = active_impl();
  if (n >= kAvx512MinBytes && impl == static_cast<int>(Base64Impl::kAvx512)) {
    return base64_encode_avx512(in, n, out);
  }
  if (n >= 28 && impl == static_cast<int>(Base64Impl::kAvx2)) {
    return base64_encode_avx2(in, n, out);
  }
  return base64_encode_scalar(in, n, out);
}

size_t base64_encode_scalar(const uint8_t* in, size_t n, char* out) {
  char* o = out;
  size_t i = 0;
  for (; i + 12 <= n; i += 12, o += 16) {
    for (int k = 0; k < 4; ++k) {
      const uint8_t* s = in + i + 3 * k;
      const uint32_t v = (uint32_t{s[0]} << 16) | (uint32_t{s[1]} << 8) | s[2];
      put_pair(o + 4 * k, v >> 12);
      put_pair(o + 4 * k + 2, v & 0xfff);
    }
  }
  for (; i + 3 <= n; i += 3, o += 4) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    put_pair(o, v >> 12);
    put_pair(o + 2, v & 0xfff);
  }
  if (n - i == 1) {
    const uint32_t v = uint32_t{in[i]} << 16;
    put_pair(o, v >> 12);
    o[2] = '=';
    o[3] = '=';
    o += 4;
  } else if (n - i == 2) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8);
    put_pair(o, v >> 12);
    o[2] = kAlphabet[(v >> 6) & 63];
    o[3] = '=';
    o += 4;
  }
  return static_cast<size_t>(o - out);
}

bool base64_decode(const char* in, size_t n, uint8_t* out, size_t* out_len) {
  if (n % 4 != 0) return false;
  const auto* s = reinterpret_cast<const uint8_t*>(in);
  uint8_t* o = out;
  for (size_t i = 0; i < n; i += 4) {
    const uint32_t a = kDecode.v[s[i]], b = kDecode.v[s[i + 1]];
    const uint32_t c = kDecode.v[s[i + 2]], d = kDecode.v[s[i + 3]];
    if ((a | b | c | d) < 64) {
      const uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
      o[0] = static_cast<uint8_t>(v >> 16);
      o[1] = static_cast<uint8_t>(v >> 8);
      o[2] = static_cast<uint8_t>(v);
      o += 3;
      continue;
    }
    // Only the last quantum may hold padding: "xx==" or "xxx=".
    if (i + 4 != n || a >= 64 || b >= 64 || s[i + 3] != '=') return false;
    if (s[i + 2] == '=') {
      if (b & 0xf) return false;  // non-canonical: unused bits set
      o[0] = static_cast<uint8_t>((a << 2) | (b >> 4));
      o += 1;
    } else {
      if (c >= 64 || (c & 0x3)) return false;
      const uint32_t v = (a << 18) | (b << 12) | (c << 6);
      o[0] = static_cast<uint8_t>(v >> 16);
      o[1] = static_cast<uint8_t>(v >> 8);
      o += 2;
    }
  }
  *out_len = static_cast<size_t>(o - out);
  return true;
}

bool base64_decode(std::string_view in, std::string* out) {
  out->resize(base64_decoded_max_size(in.size()));
  size_t len = 0;
  if (!base64_decode(in.data(), in.size(), reinterpret_cast<uint8_t*>(out->data()), &len)) {
    return false;
  }
  out->resize(len);
  return true;
}

}  // namespace sluice::event
