// filter_vectors_test.cc: the CI slice of the event-ruler comparison. Each line
// of tests/filter/vectors.jsonl holds patterns, a record (base64 value and key,
// null for a null part) and event-ruler 2.1.0's verdict ("true", "false", or
// "error" when it rejects the patterns), written by `scripts/filter-compare
// --vectors`. No Java needed here.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/filter/filter.h"
#include "core/filter/matcher.h"

namespace sluice::filter {
namespace {

bool unbase64(std::string_view in, std::string* out) {
  static const std::string_view abc =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const size_t v = abc.find(c);
    if (v == std::string_view::npos) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

TEST(FilterVectors, AgreesWithEventRuler) {
  const std::string path = std::string(SLUICE_SOURCE_DIR) + "/tests/filter/vectors.jsonl";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing " << path;
  simdjson::dom::parser parser;
  std::string line, value, key;
  int n = 0, failures = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++n;
    simdjson::dom::element c;
    ASSERT_EQ(parser.parse(line).get(c), simdjson::SUCCESS) << line;
    std::string_view want;
    ASSERT_EQ(c["want"].get_string().get(want), simdjson::SUCCESS) << line;
    const std::string patterns = simdjson::minify(c["p"]);
    std::shared_ptr<const Filter> f;
    std::string got;
    if (auto st = compile(patterns, &f); !st.ok()) {
      got = "error";
    } else {
      std::string_view v64, k64;
      const bool vnull = c["v"].get_string().get(v64) != simdjson::SUCCESS;
      const bool knull = c["k"].get_string().get(k64) != simdjson::SUCCESS;
      ASSERT_TRUE(vnull || unbase64(v64, &value));
      ASSERT_TRUE(knull || unbase64(k64, &key));
      Matcher m(f);
      got = m.match(reinterpret_cast<const uint8_t*>(key.data()), knull ? 0 : key.size(), knull,
                    reinterpret_cast<const uint8_t*>(value.data()), vnull ? 0 : value.size(),
                    vnull)
                ? "true"
                : "false";
    }
    if (got != want && ++failures <= 20) {
      ADD_FAILURE() << "line " << n << ": sluice " << got << ", event-ruler " << want << "\n"
                    << line;
    }
  }
  EXPECT_GE(n, 1000);
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace sluice::filter
