// json_scan_test.cc: the matcher's JSON check (json_scan.h) against simdjson's
// DOM parser on inputs at the edges of the grammar, UTF-8 and escapes. The
// only differences are the documented ones (numbers simdjson cannot hold are
// still JSON for sluice; depth limits). The fuzz target matcher_fuzz makes the
// same comparison on generated inputs.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "core/filter/filter.h"
#include "core/filter/matcher_internal.h"

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

}  // namespace
}  // namespace sluice::filter
