// base64_avx2.cc: the AVX2 base64 encoder (compiled with -mavx2; call only
// after cpu_has_avx2()). The technique is the one Wojciech Muła and Daniel
// Lemire published ("Faster Base64 Encoding and Decoding Using AVX2
// Instructions", 2018): spread each 3-byte group over a 32-bit lane with a
// byte shuffle, cut the four 6-bit fields out with two AND masks and two
// 16-bit multiplies (a multiply is a per-lane variable shift), then map the
// 6-bit values to ASCII by adding an offset picked with a second shuffle.
//
// Deliberately includes no standard-library header that could instantiate an
// inline function here: such a copy would be compiled with -mavx2 and the
// linker might keep it for callers on CPUs without AVX2.
#include <immintrin.h>

#include "core/event/base64.h"

namespace sluice::event {
namespace {

// Encodes the 24 bytes at p (reads 28: p[0..16) and p[12..28)) into 32 chars.
inline __m256i encode24(const uint8_t* p) {
  const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 12));
  __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);

  // Each 128-bit lane holds 12 useful bytes = four groups s0 s1 s2. Lay each
  // group out in a 32-bit lane as bytes [s1 s0 s2 s1]: the low 16-bit word is
  // then s0:s1 (big-endian), the high word s1:s2, so every 6-bit field sits
  // inside one word.
  const __m256i spread = _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,  //
                                          1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
  v = _mm256_shuffle_epi8(v, spread);

  // Field a = low word bits 10..15 -> byte 0; c = high word bits 6..11 ->
  // byte 2: keep them and shift right by 10 and 6 with one multiply-high.
  const __m256i ac = _mm256_mulhi_epu16(_mm256_and_si256(v, _mm256_set1_epi32(0x0fc0fc00)),
                                        _mm256_set1_epi32(0x04000040));
  // Field b = low word bits 4..9 -> byte 1; d = high word bits 0..5 -> byte 3:
  // shift left by 4 and 8 with one multiply-low.
  const __m256i bd = _mm256_mullo_epi16(_mm256_and_si256(v, _mm256_set1_epi32(0x003f03f0)),
                                        _mm256_set1_epi32(0x01000010));
  const __m256i idx = _mm256_or_si256(ac, bd);  // 32 values in 0..63

  // ASCII = idx + offset, the offset depending on the range idx falls in.
  // Reduce idx to a class 0..13: 52..63 -> 1..12 (saturating subtract),
  // 26..51 -> 0, 0..25 -> 13, then look the offset up.
  __m256i cls = _mm256_subs_epu8(idx, _mm256_set1_epi8(51));
  const __m256i upper = _mm256_cmpgt_epi8(_mm256_set1_epi8(26), idx);
  cls = _mm256_or_si256(cls, _mm256_and_si256(upper, _mm256_set1_epi8(13)));
  const __m256i offsets = _mm256_setr_epi8(
      'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
      '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0,  //
      'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
      '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0);
  return _mm256_add_epi8(idx, _mm256_shuffle_epi8(offsets, cls));
}

}  // namespace

size_t base64_encode_avx2(const uint8_t* in, size_t n, char* out) {
  size_t i = 0;
  char* o = out;
  // Two independent steps per iteration so their latencies overlap.
  for (; n - i >= 52; i += 48, o += 64) {
    const __m256i a = encode24(in + i);
    const __m256i b = encode24(in + i + 24);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), a);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + 32), b);
  }
  // encode24 reads 28 bytes for 24 it uses: stop while 28 remain.
  for (; n - i >= 28; i += 24, o += 32) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), encode24(in + i));
  }
  o += base64_encode_scalar(in + i, n - i, o);
  return static_cast<size_t>(o - out);
}

}  // namespace sluice::event
