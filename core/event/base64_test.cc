// Tests for base64.h: the scalar, AVX2 and AVX-512 VBMI encoders against a
// deliberately naive bit-by-bit reference, RFC 4648 vectors, and the strict
// decoder. The SIMD tests fail (never skip) on a CPU without the extension:
// this project's machines (AMD Zen 4) have both.
#include "core/event/base64.h"

#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace sluice::event {
namespace {

// Reference encoder: walks the input one bit at a time, emitting a character
// every 6 bits. Shares nothing with the code under test.
std::string reference_base64(const std::vector<uint8_t>& in) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int acc = 0, bits = 0;
  for (uint8_t byte : in) {
    for (int b = 7; b >= 0; --b) {
      acc = (acc << 1) | ((byte >> b) & 1);
      if (++bits == 6) {
        out.push_back(alphabet[acc]);
        acc = 0;
        bits = 0;
      }
    }
  }
  if (bits > 0) {
    while (bits < 6) {
      acc <<= 1;
      ++bits;
    }
    out.push_back(alphabet[acc]);
  }
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

using EncodeFn = size_t (*)(const uint8_t*, size_t, char*);

// Encodes with fn into a buffer with guard bytes on both sides and checks the
// guards and the returned length; misalign shifts the output start.
std::string encode_checked(EncodeFn fn, const std::vector<uint8_t>& in, size_t misalign = 0) {
  const size_t want = base64_encoded_size(in.size());
  std::vector<char> buf(want + 64 + misalign, '#');
  char* out = buf.data() + 32 + misalign;
  const size_t got = fn(in.data(), in.size(), out);
  EXPECT_EQ(got, want) << "length for n=" << in.size();
  for (size_t i = 0; i < 32 + misalign; ++i) EXPECT_EQ(buf[i], '#') << "underrun at n=" << in.size();
  for (size_t i = 32 + misalign + want; i < buf.size(); ++i) {
    EXPECT_EQ(buf[i], '#') << "overrun at n=" << in.size();
  }
  return std::string(out, got);
}

std::vector<uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

struct RestoreImpl {
  ~RestoreImpl() { base64_set_impl_for_testing(Base64Impl::kAuto); }
};

TEST(Base64Test, EncodedSize) {
  EXPECT_EQ(base64_encoded_size(0), 0u);
  EXPECT_EQ(base64_encoded_size(1), 4u);
  EXPECT_EQ(base64_encoded_size(2), 4u);
  EXPECT_EQ(base64_encoded_size(3), 4u);
  EXPECT_EQ(base64_encoded_size(4), 8u);
  EXPECT_EQ(base64_encoded_size(1024), 1368u);
  EXPECT_EQ(base64_decoded_max_size(8), 6u);
}

TEST(Base64Test, CpuHasAvx2) {
  // This project's machines have AVX2; a CPU without it must fail here loudly
  // rather than skip the AVX2 tests below.
  ASSERT_TRUE(cpu_has_avx2()) << "this CPU (or OS) lacks AVX2/BMI2: the AVX2 base64 path is untested";
}

TEST(Base64Test, CpuHasAvx512Vbmi) {
  ASSERT_TRUE(cpu_has_avx512vbmi())
      << "this CPU (or OS) lacks AVX-512 VBMI: the AVX-512 base64 path is untested";
}

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  ASSERT_TRUE(cpu_has_avx2());
  ASSERT_TRUE(cpu_has_avx512vbmi());
  for (const auto& [plain, encoded] : vectors) {
    const auto in = bytes_of(plain);
    EXPECT_EQ(encode_checked(base64_encode_scalar, in), encoded);
    EXPECT_EQ(encode_checked(base64_encode_avx2, in), encoded);
    EXPECT_EQ(encode_checked(base64_encode_avx512, in), encoded);
    EXPECT_EQ(encode_checked(base64_encode, in), encoded);
    EXPECT_EQ(reference_base64(in), encoded);
    std::string back;
    ASSERT_TRUE(base64_decode(encoded, &back)) << encoded;
    EXPECT_EQ(back, plain);
  }
}

TEST(Base64Test, KnownLongerVectors) {
  // The ESM.md example event's key and value.
  EXPECT_EQ(encode_checked(base64_encode, bytes_of("key-1")), "a2V5LTE=");
  EXPECT_EQ(encode_checked(base64_encode, bytes_of("Hello, this is a test.")),
            "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==");
  // Long enough for the SIMD main loops, with '+' and '/' (values 62, 63).
  ASSERT_TRUE(cpu_has_avx512vbmi());
  std::vector<uint8_t> ff(120, 0xff);
  EXPECT_EQ(encode_checked(base64_encode_avx2, ff), std::string(160, '/'));
  EXPECT_EQ(encode_checked(base64_encode_avx512, ff), std::string(160, '/'));
  std::vector<uint8_t> fb;
  for (int i = 0; i < 40; ++i) fb.insert(fb.end(), {0xfb, 0xef, 0xbe});
  EXPECT_EQ(encode_checked(base64_encode_avx2, fb), std::string(160, '+'));
  EXPECT_EQ(encode_checked(base64_encode_avx512, fb), std::string(160, '+'));
}

TEST(Base64Test, EveryLengthMatchesReference) {
  RestoreImpl restore;
  ASSERT_TRUE(cpu_has_avx2());
  ASSERT_TRUE(cpu_has_avx512vbmi());
  for (uint32_t seed : {1u, 2u, 7u, 42u, 0xdeadbeefu}) {
    std::mt19937 rng(seed);
    for (size_t n = 0; n <= 300; ++n) {
      std::vector<uint8_t> in(n);
      for (auto& b : in) b = static_cast<uint8_t>(rng());
      const std::string want = reference_base64(in);
      ASSERT_EQ(encode_checked(base64_encode_scalar, in), want) << "scalar n=" << n << " seed=" << seed;
      ASSERT_EQ(encode_checked(base64_encode_avx2, in, n % 7), want) << "avx2 n=" << n << " seed=" << seed;
      ASSERT_EQ(encode_checked(base64_encode_avx512, in, n % 5), want)
          << "avx512 n=" << n << " seed=" << seed;
      for (Base64Impl impl : {Base64Impl::kScalar, Base64Impl::kAvx2, Base64Impl::kAvx512}) {
        base64_set_impl_for_testing(impl);
        ASSERT_EQ(encode_checked(base64_encode, in), want)
            << "dispatch n=" << n << " seed=" << seed << " impl=" << static_cast<int>(impl);
      }
      base64_set_impl_for_testing(Base64Impl::kAuto);
      std::vector<uint8_t> back(base64_decoded_max_size(want.size()) + 1);
      size_t len = 0;
      ASSERT_TRUE(base64_decode(want.data(), want.size(), back.data(), &len)) << "n=" << n;
      back.resize(len);
      ASSERT_EQ(back, in) << "round trip n=" << n << " seed=" << seed;
    }
  }
}

TEST(Base64Test, UnalignedInputAndEveryByteValue) {
  ASSERT_TRUE(cpu_has_avx2());
  ASSERT_TRUE(cpu_has_avx512vbmi());
  // All 256 byte values, sliced at every start offset so both encoders see
  // every value at every position of a 3-byte group and of a 24-byte step.
  std::vector<uint8_t> all(256 + 64);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i * 7 + (i >> 8));
  for (size_t start = 0; start < 48; ++start) {
    std::vector<uint8_t> in(all.begin() + static_cast<ptrdiff_t>(start), all.end());
    const std::string want = reference_base64(in);
    ASSERT_EQ(encode_checked(base64_encode_scalar, in), want) << start;
    ASSERT_EQ(encode_checked(base64_encode_avx2, in, start % 5), want) << start;
    ASSERT_EQ(encode_checked(base64_encode_avx512, in, start % 3), want) << start;
  }
}

// One readable page between two PROT_NONE pages: a read or write just past
// either edge of the middle page faults, in any build (no sanitizer needed).
class FencedPage {
 public:
  FencedPage() {
    page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    void* p = mmap(nullptr, 3 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_NE(p, MAP_FAILED);
    base_ = static_cast<uint8_t*>(p);
    EXPECT_EQ(mprotect(base_, page_, PROT_NONE), 0);
    EXPECT_EQ(mprotect(base_ + 2 * page_, page_, PROT_NONE), 0);
  }
  ~FencedPage() { munmap(base_, 3 * page_); }
  uint8_t* begin() const { return base_ + page_; }
  uint8_t* end() const { return base_ + 2 * page_; }

 private:
  size_t page_ = 0;
  uint8_t* base_ = nullptr;
};

TEST(Base64Test, NoReadOrWriteOutsideTheBuffers) {
  ASSERT_TRUE(cpu_has_avx2());
  ASSERT_TRUE(cpu_has_avx512vbmi());
  FencedPage in_page, out_page;
  std::mt19937 rng(3);
  for (uint8_t* p = in_page.begin(); p != in_page.end(); ++p) *p = static_cast<uint8_t>(rng());
  for (size_t n = 0; n <= 300; ++n) {
    // The input flush against the page's start, then against its end; the
    // output flush against the end of its page.
    for (const uint8_t* in : {in_page.begin(), in_page.end() - n}) {
      const std::string want = reference_base64(std::vector<uint8_t>(in, in + n));
      char* out = reinterpret_cast<char*>(out_page.end()) - want.size();
      for (EncodeFn fn : {base64_encode_scalar, base64_encode_avx2, base64_encode_avx512}) {
        ASSERT_EQ(fn(in, n, out), want.size());
        ASSERT_EQ(std::string(out, want.size()), want) << "n=" << n;
      }
    }
  }
}

TEST(Base64Test, DispatchOverride) {
  RestoreImpl restore;
  ASSERT_TRUE(cpu_has_avx2());
  ASSERT_TRUE(cpu_has_avx512vbmi());
  EXPECT_EQ(base64_active_impl(), Base64Impl::kAvx512);
  base64_set_impl_for_testing(Base64Impl::kScalar);
  EXPECT_EQ(base64_active_impl(), Base64Impl::kScalar);
  std::vector<uint8_t> in(100, 0x5a);
  EXPECT_EQ(encode_checked(base64_encode, in), reference_base64(in));
  base64_set_impl_for_testing(Base64Impl::kAvx2);
  EXPECT_EQ(base64_active_impl(), Base64Impl::kAvx2);
  EXPECT_EQ(encode_checked(base64_encode, in), reference_base64(in));
  base64_set_impl_for_testing(Base64Impl::kAvx512);
  EXPECT_EQ(base64_active_impl(), Base64Impl::kAvx512);
  EXPECT_EQ(encode_checked(base64_encode, in), reference_base64(in));
  base64_set_impl_for_testing(Base64Impl::kAuto);
  EXPECT_EQ(base64_active_impl(), Base64Impl::kAvx512);
}

TEST(Base64Test, DecodeRejectsInvalid) {
  std::string out;
  for (const char* bad : {"Z", "Zg", "Zg=", "Zg=a", "Z===", "====", "Zm9v====", "Zg==Zm9v", "Zm9=v",
                          "Zm 9v", "Zm9v\n", "Zm9-", "Zm9_", "Zh==", "Zm9=" /* non-canonical */,
                          "=m9v", "Z=9v"}) {
    EXPECT_FALSE(base64_decode(bad, &out)) << bad;
  }
  EXPECT_TRUE(base64_decode("", &out));
  EXPECT_EQ(out, "");
  EXPECT_TRUE(base64_decode("Zm8=", &out));
  EXPECT_EQ(out, "fo");
  EXPECT_TRUE(base64_decode("+/+/", &out));
  EXPECT_EQ(out, "\xfb\xff\xbf");
}

}  // namespace
}  // namespace sluice::event
