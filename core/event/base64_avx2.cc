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

// A step takes 24 input bytes as two 128-bit lanes of 12 bytes (four 3-byte
// groups) each. Two ways to load them; encode24's first shuffle adapts.
//
// load_split: lane 0 = p[0..16), lane 1 = p[12..28): both lanes start at
// their group 0. Reads p[0..28).
inline __m256i load_split(const uint8_t* p) {
  const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 12));
  return _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
}

// load_back: one 32-byte load of p[-4..28): lane 0 holds its groups at byte
// offset 4, lane 1 (p[12..28)) at offset 0. Saves the insert; needs 4
// readable bytes before p.
inline __m256i load_back(const uint8_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p - 4));
}

// load_end: the groups p[0..24) from one 32-byte load of p[-8..24), moved
// into place by a cross-lane dword permute: lane 0 = p[0..16), lane 1 =
// p[12..28) minus the 4 bytes past p + 24, which the groups do not use. For
// the last step, where fewer than 28 bytes remain; needs 8 readable bytes
// before p. The result is encoded like load_split's.
inline __m256i load_end(const uint8_t* p) {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p - 8));
  return _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(2, 3, 4, 5, 5, 6, 7, 7));
}

// Encodes 24 bytes placed in v's lanes with their groups at byte offset 0 of
// each lane (Split) or at 4 in lane 0 and 0 in lane 1 (Back), into 32 chars.
template <bool Back>
inline __m256i encode24(__m256i v) {
  // Lay each 3-byte group s0 s1 s2 out in a 32-bit lane as bytes
  // [s1 s0 s2 s1]: the low 16-bit word is then s0:s1 (big-endian), the high
  // word s1:s2, so every 6-bit field sits inside one word.
  constexpr int k = Back ? 4 : 0;
  const __m256i spread = _mm256_setr_epi8(
      k + 1, k + 0, k + 2, k + 1, k + 4, k + 3, k + 5, k + 4, k + 7, k + 6, k + 8, k + 7, k + 10,
      k + 9, k + 11, k + 10,  //
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
  // Class: saturating idx - 51 gives 0 for 0..51 and 1..12 for 52..63;
  // subtracting the mask (idx > 25 ? -1 : 0) shifts every class but 0..25 up
  // by one: 0..25 -> 0, 26..51 -> 1, 52..61 -> 2..11, 62 -> 12, 63 -> 13.
  const __m256i cls = _mm256_sub_epi8(_mm256_subs_epu8(idx, _mm256_set1_epi8(51)),
                                      _mm256_cmpgt_epi8(idx, _mm256_set1_epi8(25)));
  const __m256i offsets = _mm256_setr_epi8(
      'A', 'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
      '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 0, 0,  //
      'A', 'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
      '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 0, 0);
  return _mm256_add_epi8(idx, _mm256_shuffle_epi8(offsets, cls));
}

inline void store32(char* o, __m256i v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), v);
}

}  // namespace

size_t base64_encode_avx2(const uint8_t* in, size_t n, char* out) {
  size_t i = 0;
  char* o = out;
  // Each step reads 28 bytes for the 24 it uses: steps run while 28 remain.
  if (n >= 28) {
    store32(o, encode24<false>(load_split(in)));
    i = 24;
    o += 32;
  }
  // From here on p - 4 is inside the input. Two independent steps per
  // iteration so their latencies overlap.
  for (; n - i >= 52; i += 48, o += 64) {
    const __m256i a = encode24<true>(load_back(in + i));
    const __m256i b = encode24<true>(load_back(in + i + 24));
    store32(o, a);
    store32(o + 32, b);
  }
  if (n - i >= 28) {
    store32(o, encode24<true>(load_back(in + i)));
    i += 24;
    o += 32;
  }
  // Fewer than 28 bytes left: up to 27 of them in whole groups. Rather than
  // the scalar loop, finish them with steps whose loads end at or before the
  // input's end; the last one is aligned to end at the last whole group and
  // may recompute (identically) groups already written. Needs i >= 24 (so
  // p - 8 is inside the input), which holds whenever n >= 32. Below 4
  // groups the scalar loop is quicker than one more step.
  const size_t whole = n - n % 3;  // i is a multiple of 3
  if (whole >= 32 && whole - i >= 12) {
    if (whole - i > 24) {
      store32(o, encode24<false>(load_end(in + i)));
    }
    const size_t last = whole - 24;
    store32(out + last / 3 * 4, encode24<false>(load_end(in + last)));
    o = out + whole / 3 * 4;
    i = whole;
  }
  o += base64_encode_scalar(in + i, n - i, o);
  return static_cast<size_t>(o - out);
}

}  // namespace sluice::event
