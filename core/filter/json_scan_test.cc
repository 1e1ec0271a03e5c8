// json_scan_test.cc: the matcher's JSON check (json_scan.h) against simdjson's
// DOM parser on inputs at the edges of the grammar, UTF-8 and escapes. The
// only differences are the documented ones (numbers simdjson cannot hold are
// still JSON for sluice; depth limits). The fuzz target matcher_fuzz makes the
// same comparison on generated inputs.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/filter/filter.h"
#include "core/filter/json_scan.h"
#include "core/filter/matcher_internal.h"
#include "core/filter/text.h"

namespace sluice::filter {
namespace {

bool ours(const std::string& s) {
  return internal::is_json_record(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

bool simdjsons(const std::string& s) {
  simdjson::dom::parser parser;
  simdjson::dom::element el;
  return parser.parse(simdjson::padded_string(s)).get(el) == simdjson::SUCCESS;
}

TEST(FilterJsonCheck, AgreesWithSimdjson) {
  const std::vector<std::string> cases = {
      R"("\udc00")", R"("\ud800\u0041")", R"("\uD83D\uDE00")", R"("\ud83d")",
      R"("\ud83d\ud83d")", "\"a\x01\"", "\"a\x7f\"", "1.", "-", "01", "1e", "1E+", "-0", "-01",
      "0.0e-0", "[1,]", "{,}", "{\"a\"}", "\"\xC0\x80\"", "\"\xED\xA0\x80\"",
      "\"\xF4\x90\x80\x80\"", "\"\xEF\xBF\xBF\"", "\"\xF0\x9F\x98\x80\"", "\"\xE2\x82\"",
      "[1]\f", "\v[1]", " [1] ", "[1] x", "tru", "true ", "nul", "[true,false,null]",
      "{\"a\":1,\"a\":2}", "\"\\u00\"", "\"\\uZZZZ\"", "\"\\x\"", "\"\\/\"", "[\"\\\"\"]",
      std::string("\"a\0b\"", 5), std::string("1\0", 2), "{\"a\":[1,{\"b\":null}]}", "[[[[]]]]",
      "[{}]", "{\"\":0}", "[-]", "[+1]", "[.5]", "[1.5e+300]", "\xEF\xBB\xBF[1]", "[\"\xFF\"]",
      "2]", "{\"a\":1}}", "[1 2]", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "\"\\u0000\"",
      "-1.7976931348623157e308", "", " ", "{", "[", "\"", "\"abc", "{\"a\":", "[1,", "{\"a\":1,",
      "[\"x\"\"y\"]", "{\"a\"::1}", "{1:2}", "[1}", "{\"a\":1]", "\"\t\"", "\"\\t\"",
      std::string(20, ' ') + "{\"long key with spaces\":\"and a value longer than sixteen\"}",
  };
  for (const std::string& c : cases) EXPECT_EQ(ours(c), simdjsons(c)) << c;
  // Grammatically valid numbers that simdjson cannot hold are JSON here.
  EXPECT_TRUE(ours("123456789012345678901234567890"));
  EXPECT_TRUE(ours("1e400"));
  EXPECT_TRUE(ours("[1e-400]"));
}

TEST(FilterJsonCheck, MixedNestingAcrossWords) {
  // Objects and arrays alternate; the skipper keeps which is which 64 levels
  // at a time, so break the closing bracket at every depth around 64 and 128.
  for (size_t levels : {63u, 64u, 65u, 127u, 128u, 129u, 300u}) {
    std::string open, close;
    for (size_t i = 0; i < levels; ++i) {
      open += i % 2 ? "[" : "{\"k\":";
      close = std::string(i % 2 ? "]" : "}") + close;
    }
    const std::string doc = open + "1" + close;
    EXPECT_TRUE(ours(doc)) << levels;
    EXPECT_EQ(ours(doc), simdjsons(doc));
    for (size_t at = 0; at < close.size(); ++at) {
      std::string bad = close;
      bad[at] = bad[at] == ']' ? '}' : ']';
      EXPECT_FALSE(ours(open + "1" + bad)) << levels << " " << at;
    }
  }
}

TEST(FilterJsonCheck, DepthLimit) {
  const auto nest = [](size_t n) { return std::string(n, '[') + std::string(n, ']'); };
  EXPECT_TRUE(ours(nest(kMaxRecordDepth)));
  EXPECT_FALSE(ours(nest(kMaxRecordDepth + 1)));
  EXPECT_FALSE(ours(nest(100000)));
}

// skip_members (the rest of an object after a member, the check of a
// record's unread rest) read with the same state machine as whole
// containers: the rest is valid exactly when the object it ends is.
bool rest_ok(const std::string& rest, size_t depth = 1) {
  std::string padded = rest + std::string(internal::kPadding, '\0');
  const char* q = internal::skip_members(padded.data(), depth);
  return q != nullptr && internal::skip_ws(q) == padded.data() + rest.size();
}

// Random JSON-like text: valid values with whitespace, then (sometimes)
// damaged by a byte change, an insertion or a cut.
std::string random_value(std::mt19937_64& rng, int depth) {
  static const char* const kScalars[] = {"0", "-1", "12.5", "1e3", "-0.0E-2", "true", "false",
                                         "null", "\"\"", "\"a\"", "\"k\\\"q\"",
                                         "\"\\u00e9\\ud83d\\ude00\"", "\"\xC3\xA9\"",
                                         "\"a long string value, longer than sixteen bytes\""};
  const auto ws = [&] { return rng() % 4 == 0 ? std::string(" \n\t\r").substr(rng() % 4, 1) : ""; };
  const unsigned pick = static_cast<unsigned>(rng() % (depth < 6 ? 6 : 4));
  if (pick < 4) return kScalars[rng() % (sizeof kScalars / sizeof *kScalars)];
  const bool obj = pick == 4;
  std::string s(1, obj ? '{' : '[');
  const unsigned n = static_cast<unsigned>(rng() % 4);
  for (unsigned i = 0; i < n; ++i) {
    if (i) s += ws() + "," + ws();
    if (obj) s += "\"k" + std::to_string(i) + "\"" + ws() + ":" + ws();
    s += random_value(rng, depth + 1);
  }
  return s + ws() + (obj ? '}' : ']');
}

enum class Cut { kTail, kFewBytes };

// Damages s at a random place: how 0 replaces a byte and 1 inserts one (both
// from `bytes`), 2 cuts (the tail, or 1-3 bytes).
template <size_t N>
void damage(std::string& s, std::mt19937_64& rng, const char (&bytes)[N], uint64_t how, Cut cut) {
  switch (how) {
    case 0:
      s[rng() % s.size()] = bytes[rng() % (N - 1)];
      break;
    case 1:
      s.insert(rng() % (s.size() + 1), 1, bytes[rng() % (N - 1)]);
      break;
    default:
      if (cut == Cut::kTail) {
        s.resize(rng() % s.size());
      } else {
        s.erase(rng() % s.size(), 1 + rng() % 3);
      }
      break;
  }
}

TEST(FilterJsonCheck, RestOfObjectAgreesWithWholeObject) {
  std::mt19937_64 rng(7);
  const char kBytes[] = "{}[],:\" \\0123456789-+.eEtrufalsn\x01\x80\xC3\xFF";
  size_t valid = 0;
  for (int i = 0; i < 40000; ++i) {
    std::string rest;
    const unsigned members = static_cast<unsigned>(rng() % 4);
    for (unsigned m = 0; m < members; ++m) rest += ",\"m\":" + random_value(rng, 1);
    rest += rng() % 8 == 0 ? " }\n" : "}";
    if (const auto how = rng() % 4) damage(rest, rng, kBytes, how - 1, Cut::kTail);
    const std::string whole = "{\"first\":0" + rest;
    const bool expect = simdjsons(whole);
    valid += expect;
    ASSERT_EQ(rest_ok(rest), expect) << whole;
    ASSERT_EQ(ours(whole), expect) << whole;
  }
  EXPECT_GT(valid, 5000u);  // both outcomes are well represented
  EXPECT_LT(valid, 35000u);
}

TEST(FilterJsonCheck, RestOfObjectDepthLimit) {
  // The object is at `depth`; what the rest opens counts on top of it.
  const auto rest = [](size_t n) {
    return ",\"a\":" + std::string(n, '[') + std::string(n, ']') + "}";
  };
  EXPECT_TRUE(rest_ok(rest(kMaxRecordDepth - 1), 1));
  EXPECT_FALSE(rest_ok(rest(kMaxRecordDepth), 1));
  EXPECT_TRUE(rest_ok(rest(kMaxRecordDepth - 10), 10));
  EXPECT_FALSE(rest_ok(rest(kMaxRecordDepth - 9), 10));
  EXPECT_TRUE(rest_ok("}", kMaxRecordDepth));
  EXPECT_FALSE(rest_ok(",\"a\":[]}", kMaxRecordDepth));
  EXPECT_FALSE(rest_ok(rest(100000), 1));
  EXPECT_FALSE(rest_ok("]"));
  EXPECT_FALSE(rest_ok(",\"a\":1]"));
  EXPECT_FALSE(rest_ok(",\"a\":[1}}"));
  EXPECT_TRUE(rest_ok(" , \"a\" : [ 1 , { } ] } "));
}

// Member guesses (MemberGuess): a skip given guesses learnt from earlier
// inputs gives the same answer as one without, whatever the earlier inputs
// were: records of a few shapes (so that guesses hit), damaged at random, and
// keys that reappear where they are not keys (arrays, strings, other depths).
TEST(FilterJsonCheck, MemberGuessesDoNotChangeTheAnswer) {
  const std::vector<std::string> shapes = {
      R"(,"amount":841.06,"currency":"usd","customer":{"id":"c-9570","tier":"silver"},"items":[{"sku":"B55","qty":4}],"ts":1})",
      R"(,"amount":1,"currency":["a","b"],"customer":{"id":"c","tier":{"x":[]}},"items":[],"ts":"z"})",
      R"(,"items":[{"sku":"A","qty":1},{"sku":"B","qty":2,"price":3.5}],"ts":17})",
      R"( , "aA" : [ ,"amount": ] , "x":{ "sku" :1}})",
      R"(,"x":[1,"currency":2],"y":"","currency":"})",
      R"(,"x":{"a":{"b":{"c":{}}}},"y":{},"z":[{},{"q":1}]})",
  };
  std::mt19937_64 rng(11);
  std::vector<internal::MemberGuess> guesses(16);
  const char kBytes[] = "{}[],:\" \\09-.e\x01\x80";
  for (int i = 0; i < 30000; ++i) {
    std::string rest = shapes[rng() % shapes.size()];
    if (rng() % 2) damage(rest, rng, kBytes, rng() % 3, Cut::kFewBytes);
    std::string padded = rest + std::string(internal::kPadding, '\0');
    const char* with = internal::skip_members(padded.data(), 1, guesses.data(), guesses.size());
    const char* without = internal::skip_members(padded.data(), 1);
    ASSERT_EQ(with, without) << rest;
    ASSERT_EQ(rest_ok(rest), simdjsons("{\"first\":0" + rest)) << rest;
  }
  size_t learnt = 0;
  for (const auto& g : guesses) learnt += g.len != 0;
  EXPECT_GT(learnt, 4u);
}

// UTF-8: the scalar check, simdjson's validate_utf8 and every simdjson
// kernel this CPU runs (icelake, haswell, westmere, fallback) agree on valid
// text and on every kind of damage, at every length 0..300 and every offset
// in a 64-byte block (so that runs start and end everywhere in a SIMD block).
std::vector<std::string> utf8_samples(std::mt19937_64& rng) {
  static const char* const kPieces[] = {
      "a", "~", "\x7f", "\xC3\xA9", "\xDF\xBF", "\xE0\xA0\x80", "\xE3\x81\x82", "\xED\x9F\xBF",
      "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"};
  static const char* const kBad[] = {
      "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xC2", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xED\xA0\x80",
      "\xED\xBF\xBF", "\xE3\x81", "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80",
      "\xF5\x80\x80\x80", "\xF8", "\xFE", "\xFF", "\xF0\x9F\x98", "\xC3\x28", "\xE3\x28\x82"};
  std::vector<std::string> out;
  for (size_t len = 0; len <= 300; ++len) {
    std::string v;  // valid: pieces up to len bytes, then ASCII
    while (v.size() < len) {
      const std::string piece = kPieces[rng() % (sizeof kPieces / sizeof *kPieces)];
      v += v.size() + piece.size() <= len ? piece : std::string("b");
    }
    out.push_back(v);
    if (len == 0) continue;
    std::string b = v;  // one damage at a random place
    const std::string bad = kBad[rng() % (sizeof kBad / sizeof *kBad)];
    const size_t at = rng() % len;
    b.replace(at, std::min(bad.size(), len - at), bad.substr(0, len - at));
    out.push_back(b);
    std::string t = v;  // a multi-byte character cut by the end
    if (len >= 2) {
      t[len - 1] = '\xE3';
      out.push_back(t);
    }
    std::string r(len, '\0');  // random bytes
    for (char& c : r) c = static_cast<char>(rng() % 4 == 0 ? rng() : rng() % 128);
    out.push_back(r);
  }
  return out;
}

TEST(FilterUtf8, ScalarAndSimdAgree) {
  std::mt19937_64 rng(5);
  std::vector<const simdjson::implementation*> kernels;
  for (const auto* impl : simdjson::get_available_implementations()) {
    if (impl->supported_by_runtime_system()) kernels.push_back(impl);
  }
  ASSERT_FALSE(kernels.empty());
  std::vector<char> block(300 + 128);
  size_t valid = 0, invalid = 0;
  for (const std::string& s : utf8_samples(rng)) {
    for (size_t off = 0; off < 64; ++off) {
      std::memcpy(block.data() + off, s.data(), s.size());
      const auto* p = reinterpret_cast<const uint8_t*>(block.data() + off);
      const bool scalar = is_valid_utf8_scalar(p, s.size());
      ASSERT_EQ(is_valid_utf8_simdjson(p, s.size()), scalar) << s.size() << " " << off;
      ASSERT_EQ(is_valid_utf8(p, s.size()), scalar) << s.size() << " " << off;
      for (const auto* k : kernels) {
        ASSERT_EQ(k->validate_utf8(block.data() + off, s.size()), scalar)
            << k->name() << " " << s.size() << " " << off;
      }
      (scalar ? valid : invalid) += 1;
    }
  }
  EXPECT_GT(valid, 1000u);
  EXPECT_GT(invalid, 1000u);
}

// Strings with non-ASCII text (checked a run at a time, simdjson's kernel for
// runs of 64 bytes and more): the same verdict as simdjson's parser, and
// read_string gives the same bytes as simdjson, escapes or not, at every
// length 0..300.
TEST(FilterUtf8, StringsWithNonAsciiRuns) {
  std::mt19937_64 rng(9);
  simdjson::dom::parser parser;
  size_t valid = 0;
  for (const std::string& s : utf8_samples(rng)) {
    for (const std::string& body : {s, s + "\\n" + s, "\\u00e9" + s + "\\\"x"}) {
      const std::string doc = "\"" + body + "\"";
      simdjson::dom::element el;
      const bool theirs = parser.parse(simdjson::padded_string(doc)).get(el) == simdjson::SUCCESS;
      ASSERT_EQ(ours(doc), theirs) << doc.size();
      if (!theirs) continue;
      ++valid;
      std::string padded = doc + std::string(internal::kPadding, '\0');
      std::string_view got;
      std::string buf;
      const char* end = internal::read_string<true>(padded.data() + 1, &got, &buf);
      ASSERT_EQ(end, padded.data() + doc.size());
      ASSERT_EQ(got, std::string_view(el.get_string().value())) << doc.size();
    }
  }
  EXPECT_GT(valid, 500u);
}

}  // namespace
}  // namespace sluice::filter
