// base64_avx512.cc: the AVX-512 VBMI base64 encoder, for CPUs that have it
// (Intel Ice Lake and later, AMD Zen 4 and later). Only its functions are
// compiled for AVX-512, through target attributes (the file gets no -m flags),
// and they run only after cpu_has_avx512vbmi().
//
// Per 48 input bytes -> 64 characters, three instructions: a byte permute
// (vpermb) lays each 3-byte group s0 s1 s2 out as the 32-bit lane
// [s1 s0 s2 s1], as the AVX2 encoder does; a multishift (vpmultishiftqb)
// pulls each output byte's 6-bit field out of its 64-bit lane from an
// arbitrary bit offset; a second vpermb, which reads only the low 6 bits of
// each index, maps the fields through the 64-character alphabet. Inputs under
// 64 bytes use masked loads and stores (masked-off bytes are neither read nor
// written); longer ones end with unmasked steps aligned to end at the last
// whole group.
//
// Deliberately includes no standard-library header (see base64_avx2.cc).
#include <immintrin.h>

#include "core/event/base64.h"

#define SLUICE_AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vbmi")))

// GCC 12's unmasked AVX-512 intrinsics pass an _mm512_undefined_epi32() as
// the unused merge source, which -Wmaybe-uninitialized reports once inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace sluice::event {
namespace {

// vpermb index: group j (input bytes 3j..3j+2) -> 32-bit lane j as the bytes
// [3j+1 3j 3j+2 3j+1], so the lane's low 16-bit word is s0:s1 and its high
// word s1:s2 (big-endian), as in the AVX2 encoder.
struct Tables {
  alignas(64) unsigned char spread[64] = {};
  alignas(64) unsigned char spread_end[64] = {};  // the groups at byte 16, not 0
  alignas(64) char alphabet[64] = {};
  constexpr Tables() {
    for (int j = 0; j < 16; ++j) {
      spread[4 * j + 0] = static_cast<unsigned char>(3 * j + 1);
      spread[4 * j + 1] = static_cast<unsigned char>(3 * j);
      spread[4 * j + 2] = static_cast<unsigned char>(3 * j + 2);
      spread[4 * j + 3] = static_cast<unsigned char>(3 * j + 1);
    }
    for (int k = 0; k < 64; ++k) spread_end[k] = static_cast<unsigned char>(spread[k] + 16);
    const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int k = 0; k < 64; ++k) alphabet[k] = a[k];
  }
};
constexpr Tables kTables;

// vpmultishiftqb control: in a lane [s1 s0 s2 s1] read as a little-endian
// 32-bit number the four output fields start at bits 10 (s0 >> 2), 4, 22 and
// 16 (s2 & 63); the second lane of each 64-bit word at the same offsets + 32.
// The two bits above each 6-bit field are garbage that the alphabet vpermb
// ignores (it reads only the low 6 bits of each index).
constexpr long long kShifts = (10ll << 0) | (4ll << 8) | (22ll << 16) | (16ll << 24) |
                              (42ll << 32) | (36ll << 40) | (54ll << 48) | (48ll << 56);

// Encodes the 16 groups (48 bytes) at byte 0 of v (End: at byte 16) into 64
// chars.
template <bool End>
SLUICE_AVX512_TARGET inline __m512i encode48(__m512i v) {
  const __m512i spread = _mm512_load_si512(End ? kTables.spread_end : kTables.spread);
  const __m512i alphabet = _mm512_load_si512(kTables.alphabet);
  v = _mm512_permutexvar_epi8(spread, v);
  v = _mm512_multishift_epi64_epi8(_mm512_set1_epi64(kShifts), v);
  return _mm512_permutexvar_epi8(v, alphabet);
}

}  // namespace

SLUICE_AVX512_TARGET size_t base64_encode_avx512(const uint8_t* in, size_t n, char* out) {
  size_t i = 0;
  char* o = out;
  // Unmasked 64-byte loads while 64 bytes remain (48 of them used).
  for (; n - i >= 64; i += 48, o += 64) {
    _mm512_storeu_si512(o, encode48<false>(_mm512_loadu_si512(in + i)));
  }
  // What is left in whole groups (up to 63 bytes): masked loads and stores
  // are slow on some CPUs (AMD Zen 4 stores), so when there is room finish
  // with unmasked steps whose 64-byte loads end at the end of a group
  // instead: at most one that continues at i, then one aligned to end at the
  // last whole group, which may recompute (identically) groups already
  // written. Each reads 16 bytes before its groups: whole >= 64 keeps the
  // last one's load inside the input (and implies the loop ran, i >= 48).
  // Below 4 groups the scalar loop is quicker than one more step.
  const size_t whole = n - n % 3;  // i is a multiple of 3
  if (whole >= 64 && whole - i >= 12) {
    if (whole - i > 48) {
      _mm512_storeu_si512(o, encode48<true>(_mm512_loadu_si512(in + i - 16)));
    }
    const size_t last = whole - 48;
    _mm512_storeu_si512(out + last / 3 * 4, encode48<true>(_mm512_loadu_si512(in + last - 16)));
    o = out + whole / 3 * 4;
    i = whole;
  }
  // Short inputs (< 64 bytes): one or two masked steps.
  while (n < 64 && whole - i >= 3) {
    size_t groups = (whole - i) / 3;
    if (groups > 16) groups = 16;
    const __mmask64 in_mask = (__mmask64{1} << (3 * groups)) - 1;
    const __mmask64 out_mask = groups == 16 ? ~__mmask64{0} : (__mmask64{1} << (4 * groups)) - 1;
    const __m512i v = _mm512_maskz_loadu_epi8(in_mask, in + i);
    _mm512_mask_storeu_epi8(o, out_mask, encode48<false>(v));
    i += 3 * groups;
    o += 4 * groups;
  }
  o += base64_encode_scalar(in + i, n - i, o);
  return static_cast<size_t>(o - out);
}

}  // namespace sluice::event
