// base64.h: standard base64 (RFC 4648 section 4: 'A'-'Z', 'a'-'z', '0'-'9',
// '+', '/', with '=' padding), the encoding of record keys and values in the
// Lambda Kafka event.
//
// base64_encode() picks, at run time, the fastest encoder the CPU (and OS)
// support: AVX-512 VBMI, else AVX2, else a portable scalar one; all three are
// exposed for tests and benchmarks. The library is built without -march
// flags: the AVX2 code lives in base64_avx2.cc, the AVX-512 code in
// base64_avx512.cc (per-function target attributes), and each runs only after
// its CPU check said yes.
//
// Thread-safety: every function here may run concurrently with any other,
// except base64_set_impl_for_testing(), which is meant for single-threaded
// test setup (it is still free of data races: an atomic store).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::event {

// Exact number of characters base64_encode writes for n input bytes
// (4 * ceil(n / 3)). Pure arithmetic, so callers can size buffers cheaply.
constexpr size_t base64_encoded_size(size_t n) { return (n + 2) / 3 * 4; }

// Encodes in[0, n) into out, which must hold base64_encoded_size(n) chars;
// writes exactly that many (no NUL terminator) and returns the count. `in` may
// be NULL when n == 0. Dispatches to the AVX-512 VBMI, AVX2 or scalar
// encoder (see base64_active_impl()); all give identical output.
size_t base64_encode(const uint8_t* in, size_t n, char* out);

// The portable encoder (any CPU). Same contract as base64_encode.
size_t base64_encode_scalar(const uint8_t* in, size_t n, char* out);

// The AVX2 encoder: 24 input bytes -> 32 characters per step; the last whole
// groups through a step aligned to end at them, the final 1-2 bytes (and
// inputs under 28 bytes) through the scalar encoder. Never reads outside
// in[0, n) nor writes outside out[0, base64_encoded_size(n)). Same contract
// as base64_encode. Precondition: cpu_has_avx2() is true; calling it on
// another CPU raises SIGILL.
size_t base64_encode_avx2(const uint8_t* in, size_t n, char* out);

// The AVX-512 VBMI encoder: 48 input bytes -> 64 characters per step; the
// tail through steps aligned to end at the last whole group, or masked loads
// and stores for inputs under 64 bytes, the final 1-2 bytes scalar. Same
// bounds and contract as base64_encode_avx2. Precondition:
// cpu_has_avx512vbmi() is true.
size_t base64_encode_avx512(const uint8_t* in, size_t n, char* out);

// True when the CPU has AVX2, BMI1, BMI2 and POPCNT (the flags *_avx2.cc files
// are compiled with) and the OS saves the YMM registers. Computed once.
bool cpu_has_avx2();

// True when the CPU has AVX-512 F, BW and VBMI and the OS saves the ZMM and
// opmask registers. Computed once.
bool cpu_has_avx512vbmi();

// Which encoder base64_encode uses. kAuto (the default) means the fastest the
// CPU supports (AVX-512 VBMI, AVX2, scalar). Forcing an encoder the CPU lacks
// makes base64_encode fall back to the next one it has (it never faults).
enum class Base64Impl { kAuto, kScalar, kAvx2, kAvx512 };
void base64_set_impl_for_testing(Base64Impl impl);
// The encoder base64_encode uses now: kScalar, kAvx2 or kAvx512 (never kAuto).
Base64Impl base64_active_impl();

// Largest number of bytes n base64 characters can decode to (3 * n / 4).
constexpr size_t base64_decoded_max_size(size_t n) { return n / 4 * 3; }

// Strict scalar decoder for tests and for the parts of sluice that read
// events back. Accepts only the standard alphabet, a length that is a multiple
// of 4, '=' padding only at the end (0, 1 or 2 of them), and canonical
// encodings (the unused bits before padding are zero); no whitespace. On
// success writes the bytes to out (which must hold base64_decoded_max_size(n)
// bytes), stores their count in *out_len and returns true. On invalid input
// returns false; out and *out_len are then unspecified.
bool base64_decode(const char* in, size_t n, uint8_t* out, size_t* out_len);

// Convenience form: decodes into *out (replacing its contents). Returns false
// on invalid input (then *out is unspecified).
bool base64_decode(std::string_view in, std::string* out);

}  // namespace sluice::event
