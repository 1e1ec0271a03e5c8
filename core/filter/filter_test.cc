// filter_test.cc: the filter language, operator by operator, on values that
// are JSON objects, JSON scalars, plain strings, invalid UTF-8, empty and
// null; and pattern errors with their offsets and paths.
#include "core/filter/matcher.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "core/filter/text.h"

namespace sluice::filter {
namespace {

const uint8_t* bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

class Tester {
 public:
  explicit Tester(std::string_view patterns) {
    auto st = compile(patterns, &f_);
    if (!st.ok()) {
      ADD_FAILURE() << "compile failed for " << patterns << ": " << st.error().message
                    << " at " << st.error().offset << " " << st.error().path;
      return;
    }
    m_ = std::make_unique<Matcher>(f_);
  }
  bool value(std::string_view v) {
    return m_ && m_->match(nullptr, 0, true, bytes(v), v.size(), false);
  }
  bool null_value() { return m_ && m_->match(nullptr, 0, true, nullptr, 0, true); }
  bool record(const char* key, const char* value) {
    std::string_view k = key ? key : "", v = value ? value : "";
    return m_ && m_->match(bytes(k), k.size(), key == nullptr, bytes(v), v.size(), value == nullptr);
  }

 private:
  std::shared_ptr<const Filter> f_;
  std::unique_ptr<Matcher> m_;
};

// Wraps one pattern object in the array form.
bool M(std::string_view pattern, std::string_view value) {
  Tester t("[" + std::string(pattern) + "]");
  return t.value(value);
}

Error compile_error(std::string_view patterns) {
  std::shared_ptr<const Filter> f;
  auto st = compile(patterns, &f);
  if (st.ok()) {
    ADD_FAILURE() << "expected an error for " << patterns;
    return Error{};
  }
  EXPECT_EQ(f, nullptr);
  return st.error();
}

void expect_error(std::string_view patterns, int64_t offset, std::string_view path,
                  std::string_view message_part) {
  Error e = compile_error(patterns);
  EXPECT_EQ(e.code, SLUICE_ERR_INVALID_PATTERN) << patterns;
  EXPECT_EQ(e.offset, offset) << patterns << " -> " << e.message;
  EXPECT_EQ(e.path, path) << patterns << " -> " << e.message;
  EXPECT_NE(e.message.find(message_part), std::string::npos)
      << "message '" << e.message << "' lacks '" << message_part << "'";
}

// ---------------------------------------------------------------- equality

TEST(FilterExact, Strings) {
  const char* p = R"({"value":{"type":["order","refund"]}})";
  EXPECT_TRUE(M(p, R"({"type":"order"})"));
  EXPECT_TRUE(M(p, R"({"type":"refund","x":1})"));
  EXPECT_FALSE(M(p, R"({"type":"Order"})"));
  EXPECT_FALSE(M(p, R"({"type":"orders"})"));
  EXPECT_FALSE(M(p, R"({"kind":"order"})"));
  EXPECT_FALSE(M(p, R"({"type":["x"]})"));
  EXPECT_FALSE(M(p, R"({"type":{"order":1}})"));
}

TEST(FilterExact, StringIsNotNumberOrLiteral) {
  EXPECT_FALSE(M(R"({"value":{"a":["300"]}})", R"({"a":300})"));
  EXPECT_FALSE(M(R"({"value":{"a":[300]}})", R"({"a":"300"})"));
  EXPECT_FALSE(M(R"({"value":{"a":["true"]}})", R"({"a":true})"));
  EXPECT_FALSE(M(R"({"value":{"a":["null"]}})", R"({"a":null})"));
  EXPECT_TRUE(M(R"({"value":{"a":["null"]}})", R"({"a":"null"})"));
}

TEST(FilterExact, NullTrueFalse) {
  EXPECT_TRUE(M(R"({"value":{"a":[null]}})", R"({"a":null})"));
  EXPECT_FALSE(M(R"({"value":{"a":[null]}})", R"({"b":null})"));
  EXPECT_FALSE(M(R"({"value":{"a":[null]}})", R"({"a":0})"));
  EXPECT_TRUE(M(R"({"value":{"a":[true]}})", R"({"a":true})"));
  EXPECT_FALSE(M(R"({"value":{"a":[true]}})", R"({"a":false})"));
  EXPECT_TRUE(M(R"({"value":{"a":[false]}})", R"({"a":false})"));
  EXPECT_FALSE(M(R"({"value":{"a":[false]}})", R"({"a":0})"));
}

TEST(FilterExact, EmptyString) {
  EXPECT_TRUE(M(R"({"value":{"a":[""]}})", R"({"a":""})"));
  EXPECT_FALSE(M(R"({"value":{"a":[""]}})", R"({"a":" "})"));
  EXPECT_FALSE(M(R"({"value":{"a":[""]}})", R"({"a":null})"));
  EXPECT_FALSE(M(R"({"value":{"a":[""]}})", R"({})"));
}

TEST(FilterExact, Exactly) {
  EXPECT_TRUE(M(R"({"value":{"a":[{"exactly":"x"}]}})", R"({"a":"x"})"));
  EXPECT_FALSE(M(R"({"value":{"a":[{"exactly":"x"}]}})", R"({"a":"X"})"));
}

TEST(FilterExact, UnicodeAndEscapes) {
  EXPECT_TRUE(M(R"({"value":{"a":["A"]}})", R"({"a":"\u0041"})"));
  EXPECT_TRUE(M(R"({"value":{"a":["\u0041"]}})", R"({"a":"A"})"));
  EXPECT_TRUE(M(R"({"value":{"a":["é"]}})", R"({"a":"\u00e9"})"));
  EXPECT_TRUE(M(R"({"value":{"a":["😀"]}})", R"({"a":"\ud83d\ude00"})"));
  EXPECT_TRUE(M(R"({"value":{"a":["x\"y\\z\n"]}})", R"({"a":"x\"y\\z\n"})"));
  EXPECT_TRUE(M(R"({"value":{"a":["/"]}})", R"({"a":"\/"})"));
  EXPECT_FALSE(M(R"({"value":{"a":["e\u0301"]}})", R"({"a":"é"})"));  // no normalisation
  // Escaped keys address the same field.
  EXPECT_TRUE(M(R"({"value":{"ab":["x"]}})", R"({"a\u0062":"x"})"));
  EXPECT_TRUE(M(R"({"value":{"a\"b":["x"]}})", R"({"a\"b":"x"})"));
  EXPECT_TRUE(M(R"({"value":{"ключ":["значение"]}})", R"({"ключ":"значение"})"));
}

// ---------------------------------------------------------------- numbers

TEST(FilterNumbers, ExactByValueWhenComparable) {
  const char* p = R"({"value":{"n":[300]}})";
  for (const char* v : {"300", "300.0", "3e2", "3E2", "3E+2", "300.000", "30000e-2"}) {
    EXPECT_TRUE(M(p, std::string(R"({"n":)") + v + "}")) << v;
  }
  for (const char* v : {"301", "299.99", "\"300\"", "-300", "3e3"}) {
    EXPECT_FALSE(M(p, std::string(R"({"n":)") + v + "}")) << v;
  }
  EXPECT_TRUE(M(R"({"value":{"n":[1e2]}})", R"({"n":100.00})"));
  EXPECT_TRUE(M(R"({"value":{"n":[0.5]}})", R"({"n":5e-1})"));
  EXPECT_TRUE(M(R"({"value":{"n":[0]}})", R"({"n":-0})"));
  EXPECT_TRUE(M(R"({"value":{"n":[-0]}})", R"({"n":0.0})"));
  EXPECT_TRUE(M(R"({"value":{"n":[-1.5]}})", R"({"n":-15E-1})"));
}

TEST(FilterNumbers, NotComparableMatchByText) {
  // 17 significant digits: not the shortest form of its double, so compared as text.
  const char* p = R"({"value":{"n":[12345678901234567]}})";
  EXPECT_TRUE(M(p, R"({"n":12345678901234567})"));
  EXPECT_FALSE(M(p, R"({"n":12345678901234568})"));
  EXPECT_FALSE(M(p, R"({"n":1.2345678901234567e16})"));
  EXPECT_TRUE(M(R"({"value":{"n":[1e400]}})", R"({"n":1e400})"));
  EXPECT_FALSE(M(R"({"value":{"n":[1e400]}})", R"({"n":1E400})"));
}

TEST(FilterNumbers, ComparableRule) {
  double d;
  EXPECT_TRUE(comparable_number("0.1", &d));
  EXPECT_TRUE(comparable_number("100.00", &d));
  EXPECT_EQ(d, 100.0);
  EXPECT_TRUE(comparable_number("-0", &d));
  EXPECT_FALSE(std::signbit(d));
  EXPECT_TRUE(comparable_number("1.7976931348623157e308", &d));
  EXPECT_TRUE(comparable_number("9007199254740993e-5", &d) || true);
  EXPECT_FALSE(comparable_number("0.30000000000000001", &d));
  EXPECT_FALSE(comparable_number("1e400", &d));
  EXPECT_FALSE(comparable_number("1e-400", &d));
  EXPECT_FALSE(comparable_number("9007199254740993", &d));
  EXPECT_TRUE(comparable_number("9007199254740992", &d));
  EXPECT_TRUE(comparable_number("123456789012345678900000", &d) ||
              !comparable_number("123456789012345678900000", &d));
  EXPECT_TRUE(comparable_number("5e-324", &d));
  EXPECT_TRUE(comparable_number("1E+2", &d));
  EXPECT_EQ(d, 100.0);
}

TEST(FilterNumeric, Operators) {
  auto n = [](const char* expr, const char* v) {
    return M(std::string(R"({"value":{"p":[{"numeric":)") + expr + "}]}}",
             std::string(R"({"p":)") + v + "}");
  };
  EXPECT_TRUE(n(R"(["=",100])", "100"));
  EXPECT_TRUE(n(R"(["=",100])", "1e2"));
  EXPECT_TRUE(n(R"(["=",100])", "100.0"));
  EXPECT_FALSE(n(R"(["=",100])", "100.1"));
  EXPECT_FALSE(n(R"(["=",100])", "\"100\""));
  EXPECT_TRUE(n(R"([">",10])", "10.5"));
  EXPECT_FALSE(n(R"([">",10])", "10"));
  EXPECT_TRUE(n(R"([">=",10])", "10"));
  EXPECT_TRUE(n(R"(["<",10])", "-1e9"));
  EXPECT_FALSE(n(R"(["<",10])", "10"));
  EXPECT_TRUE(n(R"(["<=",10])", "10"));
  EXPECT_TRUE(n(R"([">",10,"<=",20])", "20"));
  EXPECT_FALSE(n(R"([">",10,"<=",20])", "10"));
  EXPECT_FALSE(n(R"([">",10,"<=",20])", "20.0001"));
  EXPECT_TRUE(n(R"([">=",10,"<",20])", "10"));
  EXPECT_FALSE(n(R"([">=",10,"<",20])", "20"));
  EXPECT_TRUE(n(R"([">",-5,"<",5])", "-0"));
  EXPECT_TRUE(n(R"([">",0])", "1e308"));
  EXPECT_FALSE(n(R"([">",0])", "1e400"));  // not comparable: never in a range
  EXPECT_FALSE(n(R"([">",0])", "12345678901234567"));
  EXPECT_FALSE(n(R"([">",0])", "true"));
  EXPECT_FALSE(n(R"([">",0])", "null"));
  EXPECT_TRUE(n(R"(["<",0.30000000000000004])", "0.3"));
}

// ---------------------------------------------------------------- strings

TEST(FilterString, PrefixSuffix) {
  EXPECT_TRUE(M(R"({"value":{"d":[{"prefix":"AB"}]}})", R"({"d":"ABC-1"})"));
  EXPECT_TRUE(M(R"({"value":{"d":[{"prefix":"AB"}]}})", R"({"d":"AB"})"));
  EXPECT_FALSE(M(R"({"value":{"d":[{"prefix":"AB"}]}})", R"({"d":"aBC"})"));
  EXPECT_FALSE(M(R"({"value":{"d":[{"prefix":"AB"}]}})", R"({"d":"A"})"));
  EXPECT_FALSE(M(R"({"value":{"d":[{"prefix":"1"}]}})", R"({"d":12})"));
  EXPECT_TRUE(M(R"({"value":{"d":[{"prefix":""}]}})", R"({"d":""})"));
  EXPECT_FALSE(M(R"({"value":{"d":[{"prefix":""}]}})", R"({"d":1})"));
  EXPECT_TRUE(M(R"({"value":{"f":[{"suffix":".png"}]}})", R"({"f":"a.png"})"));
  EXPECT_FALSE(M(R"({"value":{"f":[{"suffix":".png"}]}})", R"({"f":"a.PNG"})"));
  EXPECT_FALSE(M(R"({"value":{"f":[{"suffix":".png"}]}})", R"({"f":"png"})"));
  EXPECT_TRUE(M(R"({"value":{"f":[{"suffix":"é"}]}})", R"({"f":"caf\u00e9"})"));
}

TEST(FilterString, IgnoreCase) {
  EXPECT_TRUE(M(R"({"value":{"a":[{"equals-ignore-case":"Hello"}]}})", R"({"a":"hELLO"})"));
  EXPECT_FALSE(M(R"({"value":{"a":[{"equals-ignore-case":"Hello"}]}})", R"({"a":"hELLO!"})"));
  EXPECT_TRUE(M(R"({"value":{"a":[{"equals-ignore-case":"ÉTÉ"}]}})", R"({"a":"été"})"));
  EXPECT_TRUE(M(R"({"value":{"a":[{"equals-ignore-case":"ΣΊΣΥΦΟΣ"}]}})", R"({"a":"σίσυφοσ"})"));
  EXPECT_TRUE(M(R"({"value":{"a":[{"equals-ignore-case":"привет"}]}})", R"({"a":"ПРИВЕТ"})"));
  EXPECT_TRUE(M(R"({"value":{"a":[{"equals-ignore-case":""}]}})", R"({"a":""})"));
  EXPECT_FALSE(M(R"({"value":{"a":[{"equals-ignore-case":"1"}]}})", R"({"a":1})"));
  EXPECT_TRUE(M(R"({"value":{"a":[{"prefix":{"equals-ignore-case":"us-"}}]}})",
                R"({"a":"US-east"})"));
  EXPECT_FALSE(M(R"({"value":{"a":[{"prefix":{"equals-ignore-case":"us-"}}]}})",
                 R"({"a":"eu-US-"})"));
  EXPECT_TRUE(M(R"({"value":{"a":[{"suffix":{"equals-ignore-case":".PNG"}}]}})",
                R"({"a":"x.png"})"));
  EXPECT_TRUE(M(R"({"value":{"a":[{"suffix":{"equals-ignore-case":"É"}}]}})",
                R"({"a":"café"})"));
  EXPECT_FALSE(M(R"({"value":{"a":[{"suffix":{"equals-ignore-case":".PNG"}}]}})",
                 R"({"a":"x.pn"})"));
}

// ---------------------------------------------------------------- anything-but

TEST(FilterAnythingBut, Strings) {
  const char* p = R"({"value":{"s":[{"anything-but":["a","b"]}]}})";
  EXPECT_FALSE(M(p, R"({"s":"a"})"));
  EXPECT_FALSE(M(p, R"({"s":"b"})"));
  EXPECT_TRUE(M(p, R"({"s":"c"})"));
  EXPECT_TRUE(M(p, R"({"s":1})"));
  EXPECT_TRUE(M(p, R"({"s":null})"));
  EXPECT_TRUE(M(p, R"({"s":["a","c"]})"));
  EXPECT_FALSE(M(p, R"({"s":["a","b"]})"));
  EXPECT_FALSE(M(p, R"({"t":"c"})"));  // a missing field is not "anything"
  EXPECT_TRUE(M(R"({"value":{"s":[{"anything-but":"a"}]}})", R"({"s":"A"})"));
}

TEST(FilterAnythingBut, Numbers) {
  const char* p = R"({"value":{"n":[{"anything-but":[100, 200]}]}})";
  EXPECT_FALSE(M(p, R"({"n":100})"));
  EXPECT_FALSE(M(p, R"({"n":1e2})"));
  EXPECT_FALSE(M(p, R"({"n":200.0})"));
  EXPECT_TRUE(M(p, R"({"n":101})"));
  EXPECT_TRUE(M(p, R"({"n":"100"})"));
  EXPECT_TRUE(M(p, R"({"n":1e400})"));
  EXPECT_FALSE(M(R"({"value":{"n":[{"anything-but":5}]}})", R"({"n":5})"));
  EXPECT_TRUE(M(R"({"value":{"n":[{"anything-but":5}]}})", R"({"n":6})"));
}

TEST(FilterAnythingBut, PrefixSuffixIgnoreCase) {
  EXPECT_FALSE(M(R"({"value":{"s":[{"anything-but":{"prefix":"ab"}}]}})", R"({"s":"abc"})"));
  EXPECT_TRUE(M(R"({"value":{"s":[{"anything-but":{"prefix":"ab"}}]}})", R"({"s":"xabc"})"));
  EXPECT_TRUE(M(R"({"value":{"s":[{"anything-but":{"prefix":"ab"}}]}})", R"({"s":12})"));
  EXPECT_FALSE(M(R"({"value":{"s":[{"anything-but":{"prefix":["x","ab"]}}]}})",
                 R"({"s":"abc"})"));
  EXPECT_FALSE(M(R"({"value":{"s":[{"anything-but":{"suffix":".tmp"}}]}})",
                 R"({"s":"a.tmp"})"));
  EXPECT_TRUE(M(R"({"value":{"s":[{"anything-but":{"suffix":".tmp"}}]}})",
                R"({"s":"a.txt"})"));
  EXPECT_FALSE(M(R"({"value":{"s":[{"anything-but":{"equals-ignore-case":["Error","x"]}}]}})",
                 R"({"s":"ERROR"})"));
  EXPECT_TRUE(M(R"({"value":{"s":[{"anything-but":{"equals-ignore-case":"Error"}}]}})",
                R"({"s":"ERRORS"})"));
}

// ---------------------------------------------------------------- exists

TEST(FilterExists, TrueAndFalse) {
  const char* yes = R"({"value":{"a":[{"exists":true}]}})";
  const char* no = R"({"value":{"a":[{"exists":false}]}})";
  EXPECT_TRUE(M(yes, R"({"a":1})"));
  EXPECT_TRUE(M(yes, R"({"a":null})"));
  EXPECT_TRUE(M(yes, R"({"a":""})"));
  EXPECT_TRUE(M(yes, R"({"a":[1]})"));
  EXPECT_FALSE(M(yes, R"({"a":[]})"));
  EXPECT_FALSE(M(yes, R"({"a":{"b":1}})"));  // leaf fields only
  EXPECT_FALSE(M(yes, R"({"b":1})"));
  EXPECT_FALSE(M(no, R"({"a":1})"));
  EXPECT_FALSE(M(no, R"({"a":null})"));
  EXPECT_TRUE(M(no, R"({"b":1})"));
  EXPECT_TRUE(M(no, R"({"a":[]})"));
  EXPECT_TRUE(M(no, R"({"a":{"b":1}})"));
  EXPECT_TRUE(M(no, R"({})"));
}

TEST(FilterExists, Nested) {
  const char* no = R"({"value":{"a":{"b":[{"exists":false}]}, "c":["x"]}})";
  EXPECT_TRUE(M(no, R"({"c":"x"})"));
  EXPECT_TRUE(M(no, R"({"a":1,"c":"x"})"));
  EXPECT_TRUE(M(no, R"({"a":{"z":1},"c":"x"})"));
  EXPECT_FALSE(M(no, R"({"a":{"b":1},"c":"x"})"));
  EXPECT_FALSE(M(no, R"({"c":"y"})"));
}

TEST(FilterExists, OrWithValue) {
  const char* p = R"({"value":{"a":["x",{"exists":false}]}})";
  EXPECT_TRUE(M(p, R"({"a":"x"})"));
  EXPECT_TRUE(M(p, R"({})"));
  EXPECT_FALSE(M(p, R"({"a":"y"})"));
}

// ---------------------------------------------------------------- combinations

TEST(FilterLogic, AndAcrossKeysOrAcrossValues) {
  const char* p = R"({"value":{"a":["x","y"],"b":[1]}})";
  EXPECT_TRUE(M(p, R"({"a":"x","b":1})"));
  EXPECT_TRUE(M(p, R"({"b":1,"a":"y"})"));
  EXPECT_FALSE(M(p, R"({"a":"x","b":2})"));
  EXPECT_FALSE(M(p, R"({"a":"x"})"));
}

TEST(FilterLogic, Or) {
  const char* p =
      R"({"value":{"src":["s"],"$or":[{"m":["cpu","mem"]},{"t":["T"],"ns":["N"]},{"sc":["x"]}]}})";
  EXPECT_TRUE(M(p, R"({"src":"s","m":"cpu"})"));
  EXPECT_TRUE(M(p, R"({"src":"s","t":"T","ns":"N"})"));
  EXPECT_FALSE(M(p, R"({"src":"s","t":"T"})"));
  EXPECT_TRUE(M(p, R"({"src":"s","sc":"x"})"));
  EXPECT_FALSE(M(p, R"({"src":"z","sc":"x"})"));
  EXPECT_FALSE(M(p, R"({"src":"s"})"));
  // $or at the top level, across value and key.
  Tester t(R"([{"$or":[{"value":{"a":[1]}},{"key":["k1"]}]}])");
  EXPECT_TRUE(t.record("k1", "{}"));
  EXPECT_TRUE(t.record("k2", R"({"a":1})"));
  EXPECT_FALSE(t.record("k2", R"({"a":2})"));
  EXPECT_FALSE(t.record(nullptr, R"({"a":2})"));
}

TEST(FilterLogic, NestedOr) {
  const char* p = R"({"value":{"$or":[{"a":[1]},{"$or":[{"b":[2]},{"c":{"$or":[{"d":[3]},{"e":[4]}]}}]}]}})";
  EXPECT_TRUE(M(p, R"({"a":1})"));
  EXPECT_TRUE(M(p, R"({"b":2})"));
  EXPECT_TRUE(M(p, R"({"c":{"d":3}})"));
  EXPECT_TRUE(M(p, R"({"c":{"e":4}})"));
  EXPECT_FALSE(M(p, R"({"c":{"f":4}})"));
}

TEST(FilterLogic, PatternsAreOred) {
  Tester t(R"([{"value":{"a":[1]}}, "{\"value\":{\"b\":[2]}}"])");
  EXPECT_TRUE(t.value(R"({"a":1})"));
  EXPECT_TRUE(t.value(R"({"b":2})"));
  EXPECT_FALSE(t.value(R"({"c":3})"));
}

TEST(FilterLogic, SinglePatternObject) {
  Tester t(R"({"value":{"a":[1]}})");
  EXPECT_TRUE(t.value(R"({"a":1})"));
  EXPECT_FALSE(t.value(R"({"a":2})"));
}

TEST(FilterLogic, LaterDuplicatePathWins) {
  // As event-ruler (compile with overriding): the last write to a path counts.
  EXPECT_TRUE(M(R"({"value":{"a":[1],"a":[2]}})", R"({"a":2})"));
  EXPECT_FALSE(M(R"({"value":{"a":[1],"a":[2]}})", R"({"a":1})"));
}

// ---------------------------------------------------------------- nesting and arrays

TEST(FilterNesting, Deep) {
  const char* p = R"({"value":{"a":{"b":{"c":{"d":["x"]}}}}})";
  EXPECT_TRUE(M(p, R"({"a":{"b":{"c":{"d":"x"}}}})"));
  EXPECT_FALSE(M(p, R"({"a":{"b":{"c":{"d":"y"}}}})"));
  EXPECT_FALSE(M(p, R"({"a":{"b":{"c":"x"}}})"));
  EXPECT_FALSE(M(p, R"({"a":{"b":{"c":{"e":{"d":"x"}}}}})"));
  EXPECT_TRUE(M(p, R"({"z":[1,{"q":2}],"a":{"y":null,"b":{"c":{"d":"x"}}}})"));
}

TEST(FilterArrays, Scalars) {
  const char* p = R"({"value":{"tags":["red"]}})";
  EXPECT_TRUE(M(p, R"({"tags":["blue","red"]})"));
  EXPECT_FALSE(M(p, R"({"tags":["blue"]})"));
  EXPECT_FALSE(M(p, R"({"tags":[]})"));
  EXPECT_TRUE(M(p, R"({"tags":[["red"]]})"));
  EXPECT_TRUE(M(R"({"value":{"n":[{"numeric":[">",5]}]}})", R"({"n":[1,2,7]})"));
}

TEST(FilterArrays, Objects) {
  const char* p = R"({"value":{"items":{"sku":["A1"]}}})";
  EXPECT_TRUE(M(p, R"({"items":[{"sku":"B2"},{"sku":"A1"}]})"));
  EXPECT_FALSE(M(p, R"({"items":[{"sku":"B2"}]})"));
  EXPECT_TRUE(M(p, R"({"items":[1,"x",{"sku":"A1"}]})"));
  // Fields matched together must come from the same element.
  const char* both = R"({"value":{"items":{"sku":["A1"],"qty":[2]}}})";
  EXPECT_TRUE(M(both, R"({"items":[{"sku":"A1","qty":1},{"sku":"A1","qty":2}]})"));
  EXPECT_FALSE(M(both, R"({"items":[{"sku":"A1","qty":1},{"sku":"B2","qty":2}]})"));
  // Different arrays are independent.
  const char* two = R"({"value":{"x":{"a":[1]},"y":{"b":[2]}}})";
  EXPECT_TRUE(M(two, R"({"x":[{"a":0},{"a":1}],"y":[{"b":2}]})"));
  // Nested arrays of objects.
  const char* nest = R"({"value":{"o":{"l":{"v":[3]},"k":["z"]}}})";
  EXPECT_TRUE(M(nest, R"({"o":[{"k":"y","l":[{"v":3}]},{"k":"z","l":[{"v":1},{"v":3}]}]})"));
  EXPECT_FALSE(M(nest, R"({"o":[{"k":"y","l":[{"v":3}]},{"k":"z","l":[{"v":1}]}]})"));
}

TEST(FilterArrays, AbsenceInArrays) {
  const char* no = R"({"value":{"a":{"b":[{"exists":false}]}}})";
  EXPECT_FALSE(M(no, R"({"a":[{"b":1},{"c":2}]})"));  // b exists in some element
  EXPECT_TRUE(M(no, R"({"a":[{"c":1},{"c":2}]})"));
  EXPECT_TRUE(M(no, R"({"a":[]})"));
  // With a positive field in the same element, absence is checked in that element.
  const char* pin = R"({"value":{"a":{"b":[{"exists":false}],"c":[1]}}})";
  EXPECT_TRUE(M(pin, R"({"a":[{"b":1,"c":2},{"c":1}]})"));
  EXPECT_FALSE(M(pin, R"({"a":[{"b":1,"c":1},{"c":2}]})"));
}

// ---------------------------------------------------------------- non-JSON and scalar values

TEST(FilterPlain, PlainStringValues) {
  const char* p = R"({"value":[{"anything-but":["error"]}]})";
  EXPECT_FALSE(M(p, "error"));
  EXPECT_TRUE(M(p, "warning"));
  EXPECT_TRUE(M(R"({"value":["hello world"]})", "hello world"));
  EXPECT_TRUE(M(R"({"value":[{"prefix":"hel"}]})", "hello world"));
  EXPECT_TRUE(M(R"({"value":[{"prefix":"{"}]})", R"({"a":1,})"));  // malformed JSON is a string
  EXPECT_FALSE(M(R"({"value":[{"prefix":"{"}]})", R"({"a":1})"));
  EXPECT_TRUE(M(R"({"value":[{"equals-ignore-case":"HELLO"}]})", "hello"));
}

TEST(FilterPlain, ObjectPatternNeverMatchesPlainString) {
  EXPECT_FALSE(M(R"({"value":{"a":["x"]}})", "a=x"));
  EXPECT_FALSE(M(R"({"value":{"a":[{"exists":false}]}})", "not json"));
  EXPECT_FALSE(M(R"({"value":{"a":[{"exists":false}]}})", R"({"a":1,})"));
  EXPECT_TRUE(M(R"({"value":{"a":[{"exists":false}]}})", R"({"b":1})"));
}

TEST(FilterPlain, JsonScalarValues) {
  EXPECT_TRUE(M(R"({"value":["abc"]})", R"("abc")"));
  EXPECT_TRUE(M(R"({"value":["abc"]})", R"(abc)"));
  EXPECT_TRUE(M(R"({"value":[42]})", "42"));
  EXPECT_TRUE(M(R"({"value":[42]})", " 4.2e1 "));
  EXPECT_FALSE(M(R"({"value":["42"]})", "42"));  // 42 is valid JSON: a number
  EXPECT_TRUE(M(R"({"value":[{"numeric":[">",40]}]})", "42"));
  EXPECT_FALSE(M(R"({"value":[{"numeric":[">",40]}]})", "42x"));
  EXPECT_TRUE(M(R"({"value":["42x"]})", "42x"));
  EXPECT_TRUE(M(R"({"value":[true]})", "true"));
  EXPECT_TRUE(M(R"({"value":[null]})", "null"));
  EXPECT_TRUE(M(R"({"value":["nul"]})", "nul"));
  EXPECT_TRUE(M(R"({"value":[1]})", "[2,1]"));  // a JSON array value: any element
  EXPECT_TRUE(M(R"({"value":{"a":[1]}})", R"([{"a":1}])"));
  // A JSON scalar has no fields: absence holds.
  EXPECT_TRUE(M(R"({"value":{"a":[{"exists":false}]}})", "42"));
  // A JSON object value has no leaf at "value".
  EXPECT_FALSE(M(R"({"value":[{"exists":true}]})", R"({"a":1})"));
  EXPECT_TRUE(M(R"({"value":[{"exists":true}]})", "plain"));
}

TEST(FilterPlain, InvalidUtf8) {
  const std::string bad = "ab\xff" "cd";
  EXPECT_TRUE(M(R"({"value":[{"prefix":"ab"}]})", bad));
  EXPECT_TRUE(M(R"({"value":["ab\ufffdcd"]})", bad));  // repaired like a Java decoder
  EXPECT_FALSE(M(R"({"value":{"a":[{"exists":false}]}})", "{\"a\":\"\xff\"}"));
  EXPECT_TRUE(M(R"({"value":[{"suffix":"\ufffd"}]})", "{\"a\":\"\xc3"));
  EXPECT_TRUE(M(R"({"value":["\ufffd\ufffd"]})", "\xed\xa0"));  // surrogate: 2 replacements
  EXPECT_TRUE(M(R"({"value":["\ufffd"]})", "\xf0\x9f\x98"));    // truncated: 1 replacement
}

TEST(FilterPlain, EmptyAndNullValues) {
  EXPECT_TRUE(M(R"({"value":[""]})", ""));
  EXPECT_FALSE(M(R"({"value":[{"exists":false}]})", ""));
  EXPECT_TRUE(M(R"({"value":["  "]})", "  "));
  Tester t(R"([{"value":[{"exists":false}]}])");
  EXPECT_TRUE(t.null_value());
  EXPECT_FALSE(t.value(""));
  Tester n(R"([{"value":[null]}])");
  EXPECT_FALSE(n.null_value());  // a tombstone has no value, it is not JSON null
  EXPECT_TRUE(n.value("null"));
  Tester o(R"([{"value":{"a":[{"exists":false}]}}])");
  EXPECT_TRUE(o.null_value());
  Tester ab(R"([{"value":[{"anything-but":"x"}]}])");
  EXPECT_FALSE(ab.null_value());
}

TEST(FilterKey, KeyExtension) {
  Tester t(R"([{"key":[{"prefix":"user-"}],"value":{"t":["a"]}}])");
  EXPECT_TRUE(t.record("user-1", R"({"t":"a"})"));
  EXPECT_FALSE(t.record("svc-1", R"({"t":"a"})"));
  EXPECT_FALSE(t.record(nullptr, R"({"t":"a"})"));
  EXPECT_FALSE(t.record("user-1", nullptr));
  Tester j(R"([{"key":{"id":[7]}}])");
  EXPECT_TRUE(j.record(R"({"id":7})", "anything"));
  EXPECT_FALSE(j.record("id=7", "anything"));
  Tester nk(R"([{"key":[{"exists":false}]}])");
  EXPECT_TRUE(nk.record(nullptr, "v"));
  EXPECT_FALSE(nk.record("", "v"));
}

TEST(FilterMatcher, ReusedAcrossRecordsAndBigDocuments) {
  Tester t(R"([{"value":{"a":[{"numeric":[">",0]}],"b":{"c":["x"]}}}])");
  std::string big = R"({"pad":")" + std::string(100000, 'p') + R"(","a":5,"b":{"c":"x"}})";
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(t.value(big));
    EXPECT_FALSE(t.value(R"({"a":-5,"b":{"c":"x"}})"));
    EXPECT_TRUE(t.value(R"({"a":1,"b":{"c":"x"}})"));
  }
  std::string deep(2000, '[');
  deep += std::string(2000, ']');
  EXPECT_FALSE(t.value(deep));
  std::string deep_obj;
  for (int i = 0; i < 500; ++i) deep_obj += R"({"b":)";
  deep_obj += "1" + std::string(500, '}');
  EXPECT_FALSE(t.value(deep_obj));
}

TEST(FilterMatcher, KeyOrderGuessesNeverChangeAnswers) {
  // The walker guesses each record's next key from the previous records
  // (matcher.cc, Probe); a wrong guess must cost time only.
  Tester t(R"([{"value":{"type":["order"],"status":["paid"],"n":{"a":[1],"b":[2]}}}])");
  const char* yes[] = {
      R"({"type":"order","status":"paid","n":{"a":1,"b":2}})",
      R"({"status":"paid","type":"order","n":{"b":2,"a":1}})",
      R"({"n":{"a":1,"b":2},"x":0,"status":"paid","type":"order"})",
      R"({"t\u0079pe":"order","status":"paid","n":{"a":1,"b":2}})",
      R"({ "type" : "order" , "status" : "paid" , "n" : { "a" : 1 , "b" : 2 } })",
      R"({"type":"order","type":"x","status":"paid","n":{"a":1,"b":2,"a":5}})",
  };
  const char* no[] = {
      R"({"types":"order","status":"paid","n":{"a":1,"b":2}})",
      R"({"typ":"order","status":"paid","n":{"a":1,"b":2}})",
      R"({"type":"x","type":"order","status":"paid","n":{"a":1,"b":2}})",
      R"({"type":"order","status":"paid","n":{"a":1,"bb":2}})",
      R"({"type":"order","status":"paid","n":{"a":1,"b":2})",
      R"({"type":"order","status":"paid","n":{"a":1,"b":2},"type\":"x"})",
  };
  for (int round = 0; round < 3; ++round) {
    for (const char* v : yes) EXPECT_TRUE(t.value(v)) << v;
    for (const char* v : no) EXPECT_FALSE(t.value(v)) << v;
  }
  // Long names, and records that end inside the guessed key.
  for (size_t len : {14u, 15u, 16u, 30u, 62u, 63u, 100u}) {
    const std::string name(len, 'k');
    Tester l("[{\"value\":{\"" + name + "\":[1]}}]");
    const std::string rec = "{\"" + name + "\":1}";
    for (int round = 0; round < 2; ++round) {
      EXPECT_TRUE(l.value(rec)) << len;
      for (size_t cut = 1; cut < rec.size(); ++cut) EXPECT_FALSE(l.value(rec.substr(0, cut))) << cut;
      EXPECT_FALSE(l.value("{\"" + name + "k\":1}"));
    }
  }
}

TEST(FilterMatcher, EarlyAnswersKeepValidityRules) {
  // The walk stops at the top level once the answer is settled; validity of
  // the rest is then checked exactly when the plain-string reading differs.
  Tester t(R"([{"value":{"type":["order"],"status":["paid"]}},{"value":{"n":[{"numeric":[">",5]}]}}])");
  EXPECT_TRUE(t.value(R"({"type":"order","status":"paid","rest":[1,2,{"x":null}]})"));
  EXPECT_FALSE(t.value(R"({"type":"order","status":"paid","rest":[1,2,{"x":nul}]})"));
  EXPECT_FALSE(t.value(R"({"type":"order","status":"paid","rest":[1,2)"));
  EXPECT_FALSE(t.value(R"({"type":"order","status":"paid"} trailing)"));
  EXPECT_FALSE(t.value(R"({"type":"x","status":"paid","n":1,"rest":[)"));   // rejected early
  EXPECT_TRUE(t.value(R"({"n":6,"type":"x","rest":{"deep":[[[]]]}})"));      // accepted by n
  EXPECT_FALSE(t.value("{\"n\":6,\"type\":\"x\",\"rest\":\"\xff\"}"));          // invalid UTF-8 later
  EXPECT_FALSE(t.value(R"({"n":6,"type":"x","n":7,"rest":"\ud800"})"));      // lone surrogate later

  // With a pattern on the plain string too, an early "no" must still check.
  Tester s(R"([{"value":{"type":["x"]}},{"value":[{"prefix":"{\"type\":\"order\""}]}])");
  EXPECT_TRUE(s.value(R"({"type":"order", oops)"));  // not JSON: the prefix matches
  EXPECT_FALSE(s.value(R"({"type":"order","a":1})"));  // JSON: no pattern matches
  EXPECT_TRUE(s.value(R"({"type":"x","a":1})"));

  // The key decides together with the value.
  Tester kv(R"([{"key":["k1"],"value":{"a":[1]}},{"key":[{"prefix":"z"}]}])");
  EXPECT_TRUE(kv.record("k1", R"({"a":1,"b":[1,2,3]})"));
  EXPECT_FALSE(kv.record("k2", R"({"a":1,"b":[1,2,3]})"));
  EXPECT_FALSE(kv.record("k1", R"({"a":1,"b":[1,2,3})"));
  EXPECT_TRUE(kv.record("zz", R"({"a":2,"b":[1,2,3})"));
  EXPECT_TRUE(kv.record("\"k1\"", R"({"a":1,"b":[]})"));  // the key as a JSON string
  EXPECT_FALSE(kv.record("\"k1\" x", R"({"a":1,"b":[]})"));
  Tester kj(R"([{"key":{"id":[7]},"value":{"a":[1]}}])");
  EXPECT_TRUE(kj.record(R"({"id":7,"more":[1]})", R"({"a":1,"b":2})"));
  EXPECT_FALSE(kj.record(R"({"id":7,"more":[1})", R"({"a":1,"b":2})"));
  EXPECT_FALSE(kj.record(R"({"id":7,"more":[1]})", R"({"a":1,"b":2)"));
  EXPECT_FALSE(kj.record(R"({"id":8})", R"({"a":1})"));
}

TEST(FilterMatcher, ManyAlternatives) {
  // 3 x 3 x 3 x 3 = 81 alternatives: more than one 64-bit word.
  std::string p = R"([{"value":{)";
  for (int i = 0; i < 4; ++i) {
    if (i) p += ",";
    p += "\"g" + std::to_string(i) + "\":{\"$or\":[{\"a\":[1]},{\"b\":[2]},{\"c\":[3]}]}";
  }
  p += "}}]";
  Tester t(p);
  EXPECT_TRUE(t.value(R"({"g0":{"a":1},"g1":{"b":2},"g2":{"c":3},"g3":{"a":1}})"));
  EXPECT_FALSE(t.value(R"({"g0":{"a":1},"g1":{"b":2},"g2":{"c":3},"g3":{"a":2}})"));
  EXPECT_TRUE(t.value(R"({"g0":{"c":3},"g1":{"c":3},"g2":{"c":3},"g3":{"c":3}})"));
}

// ---------------------------------------------------------------- bounded work
// Huge or deeply nested records and patterns must finish (in time and memory
// proportional to their size); the bound is CTest's timeout, not an assertion.

TEST(FilterLimits, OneMegabyteValues) {
  Tester t(R"([{"value":{"z":["yes"],"n":[{"numeric":[">",1]}]}}])");
  std::string obj = "{";
  for (int i = 0; obj.size() < (1 << 20); ++i) {
    obj += "\"f" + std::to_string(i) + "\":[\"" + std::string(40, 'x') + "\",1.5e3,{\"q\":null}],";
  }
  EXPECT_FALSE(t.value(obj + "\"z\":\"yes\"}"));  // n is missing
  EXPECT_TRUE(t.value(obj + "\"z\":\"yes\",\"n\":2}"));
  EXPECT_TRUE(t.value(R"({"z":"yes","n":2,)" + obj.substr(1) + "\"e\":0}"));
  EXPECT_FALSE(t.value(R"({"z":"yes","n":2,)" + obj.substr(1) + "\"e\":0"));  // unterminated
  const std::string str = "\"" + std::string(1 << 20, 's') + "\"";
  EXPECT_FALSE(t.value(str));
  Tester plain(R"([{"value":[{"suffix":"ss"}]}])");
  EXPECT_TRUE(plain.value(str));
  EXPECT_TRUE(plain.value(std::string(1 << 20, 's')));
  std::string escapes = "\"";
  for (int i = 0; i < (1 << 17); ++i) escapes += "\\u00e9\\n";
  EXPECT_FALSE(plain.value(escapes + "\""));
  EXPECT_TRUE(plain.value(escapes + "ss\""));
}

TEST(FilterLimits, HundredThousandNestingLevels) {
  // Deeper than kMaxRecordDepth (1000) is not JSON: a plain string.
  constexpr int kDepth = 100000;
  Tester t(R"([{"value":{"b":[1]}},{"value":{"a":{"a":{"a":[{"exists":true}]}}}}])");
  const std::string arrays = std::string(kDepth, '[') + std::string(kDepth, ']');
  std::string objects;
  for (int i = 0; i < kDepth; ++i) objects += R"({"a":)";
  objects += "1" + std::string(kDepth, '}');
  EXPECT_FALSE(t.value(R"({"b":1,"c":)" + arrays + "}"));
  EXPECT_FALSE(t.value(R"({"c":)" + objects + R"(,"b":1})"));
  EXPECT_FALSE(t.value(R"({"b":2,"c":)" + arrays + "}"));
  EXPECT_FALSE(t.value(objects));
  EXPECT_FALSE(t.value(arrays));
  EXPECT_FALSE(t.value(R"({"b":1,"c":)" + arrays.substr(1) + "}"));
  Tester plain(R"([{"value":[{"prefix":"[[[["}]},{"value":[{"suffix":"}}}}"}]}])");
  EXPECT_TRUE(plain.value(arrays));
  EXPECT_TRUE(plain.value(objects));
  EXPECT_TRUE(plain.value(std::string(kDepth, '[')));
  Tester leaf(R"([{"value":[7]},{"value":{"a":[{"exists":false}]}}])");
  EXPECT_FALSE(leaf.value(std::string(kDepth, '[') + "1,7" + std::string(kDepth, ']')));
  Tester nested(R"([{"value":{"a":{"a":{"a":[7]}}}}])");
  std::string deep_a;
  for (int i = 0; i < 3; ++i) deep_a += R"({"a":)";
  deep_a += std::string(kDepth, '[') + "7" + std::string(kDepth, ']') + "}}}";
  EXPECT_FALSE(nested.value(deep_a));

  // The limit itself: 1000 levels are JSON, 1001 are not.
  auto wrap = [](size_t levels, std::string_view inner) {
    // {"b":1,"c": + (levels - 1) arrays + inner + }
    return R"({"b":1,"c":)" + std::string(levels - 1, '[') + std::string(inner) +
           std::string(levels - 1, ']') + "}";
  };
  EXPECT_TRUE(t.value(wrap(kMaxRecordDepth, "0")));
  EXPECT_FALSE(t.value(wrap(kMaxRecordDepth + 1, "0")));
  EXPECT_TRUE(t.value(wrap(kMaxRecordDepth - 1, "{}")));
  EXPECT_FALSE(t.value(wrap(kMaxRecordDepth, "{}")));
  EXPECT_TRUE(leaf.value(std::string(kMaxRecordDepth, '[') + "1,7" + std::string(kMaxRecordDepth, ']')));
  EXPECT_FALSE(leaf.value(std::string(kMaxRecordDepth + 1, '[') + "7" + std::string(kMaxRecordDepth + 1, ']')));
}

TEST(FilterLimits, TenLargeOrPatterns) {
  // 10 patterns of 4096 bytes, each one "$or" of 100 branches (1000
  // alternatives in all, near the 1024 limit), matched on big records.
  std::string patterns = "[";
  for (int p = 0; p < 10; ++p) {
    std::string one = R"({"value":{"$or":[)";
    for (int b = 0; b < 100; ++b) {
      if (b) one += ",";
      one += "{\"k" + std::to_string(b % 7) + "\":[\"p" + std::to_string(p) + "b" +
             std::to_string(b) + "\"]}";
    }
    one += "]";
    one += R"(,"pad":[{"anything-but":[")";
    const size_t room = 4096 - one.size() - std::string(R"("]}]}})").size();
    one += std::string(room, 'x') + R"("]}]}})";
    EXPECT_EQ(one.size(), 4096u);
    patterns += (p ? "," : "") + one;
  }
  patterns += "]";
  Tester t(patterns);
  EXPECT_TRUE(t.value(R"({"k3":"p9b94","pad":"y"})"));
  EXPECT_FALSE(t.value(R"({"k3":"p9b94"})"));  // anything-but needs a value
  EXPECT_FALSE(t.value(R"({"k4":"p9b94","pad":"y"})"));
  std::string big = "{";
  for (int i = 0; i < 20000; ++i) big += "\"k" + std::to_string(i % 7) + "\":\"q5b" + std::to_string(i % 99) + "\",";
  EXPECT_FALSE(t.value(big + "\"pad\":\"y\"}"));  // duplicates: the first k<n> counts
  EXPECT_TRUE(t.value("{\"k1\":\"p5b99\"," + big.substr(1) + "\"pad\":\"y\"}"));

  // The worst $or shape that compiles: 1024 alternatives from ten nested
  // pairs, then as many fields as fit, each added to every alternative.
  std::string worst = R"([{"value":{)";
  for (int i = 0; i < 10; ++i) worst += "\"$or\":[{\"o" + std::to_string(i) + "\":[1]},{\"o" + std::to_string(i) + "\":[2]}],";
  for (int i = 0; worst.size() < 4000; ++i) worst += "\"f" + std::to_string(i) + "\":[" + std::to_string(i) + "],";
  worst += R"("z":[0]}}])";
  Tester w(worst);
  EXPECT_FALSE(w.value(R"({"o0":1,"z":0})"));
  std::string all = "{";
  for (int i = 0; i < 10; ++i) all += "\"o" + std::to_string(i) + "\":2,";
  for (int i = 0; i < 400; ++i) all += "\"f" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_TRUE(w.value(all + "\"z\":0}"));
}

// ---------------------------------------------------------------- pattern errors

TEST(FilterErrors, Structure) {
  expect_error("", 0, "$", "invalid JSON");
  expect_error("[", 1, "$", "invalid JSON");
  expect_error("[]", 0, "$", "no patterns");
  expect_error("5", 0, "$", "JSON array of patterns");
  expect_error("[5]", 1, "$[0]", "JSON object");
  expect_error(R"([{"value":{"a":[1]}} x])", 21, "$", "invalid JSON");
  expect_error(R"([{}])", 1, "$[0]", "empty objects");
  expect_error(R"([{"body":{"a":[1]}}])", 2, "$[0].body", "unknown top-level field");
  expect_error(R"([{"value":{"a":1}}])", 15, "$[0].value.a", "must be an object or an array");
  expect_error(R"([{"value":{"a":[]}}])", 15, "$[0].value.a", "empty arrays");
  expect_error(R"([{"value":{"a":[[1]]}}])", 16, "$[0].value.a[0]", "not an array");
  expect_error(R"([{"value":{"a":{}}}])", 15, "$[0].value.a", "empty objects");
  expect_error(R"([{"value":{"a b":[{"foo":1}]}}])", 19, "$[0].value[\"a b\"][0].foo",
               "unknown operator");
  expect_error(R"([{"value":{"a":[{"prefix":"x","suffix":"y"}]}}])", 30,
               "$[0].value.a[0].suffix", "only one operator");
}

TEST(FilterErrors, Operators) {
  expect_error(R"([{"value":{"p":[{"numeric":[">",10,"<=","x"]}]}}])", 40,
               "$[0].value.p[0].numeric[3]", "must be a number");
  expect_error(R"([{"value":{"p":[{"numeric":["!",10]}]}}])", 28, "$[0].value.p[0].numeric[0]",
               "numeric operator");
  expect_error(R"([{"value":{"p":[{"numeric":["=",10,"<",20]}]}}])", 35,
               "$[0].value.p[0].numeric[2]", "too many");
  expect_error(R"([{"value":{"p":[{"numeric":[">",20,"<",10]}]}}])", 39,
               "$[0].value.p[0].numeric[3]", "greater than the lower");
  expect_error(R"([{"value":{"p":[{"numeric":[">"]}]}}])", 31, "$[0].value.p[0].numeric[1]",
               "without a number");
  expect_error(R"([{"value":{"p":[{"numeric":[">",1e999]}]}}])", 32,
               "$[0].value.p[0].numeric[1]", "cannot be compared");
  expect_error(R"([{"value":{"p":[{"numeric":5}]}}])", 27, "$[0].value.p[0].numeric",
               "takes an array");
  expect_error(R"([{"value":{"p":[{"anything-but":["a",1]}]}}])", 37,
               "$[0].value.p[0].anything-but[1]", "mixed");
  expect_error(R"([{"value":{"p":[{"anything-but":[true]}]}}])", 33,
               "$[0].value.p[0].anything-but[0]", "strings or numbers");
  expect_error(R"([{"value":{"p":[{"anything-but":[]}]}}])", 32, "$[0].value.p[0].anything-but",
               "empty");
  expect_error(R"([{"value":{"p":[{"anything-but":{"wildcard":"x"}}]}}])", 33,
               "$[0].value.p[0].anything-but.wildcard", "unsupported");
  expect_error(R"([{"value":{"p":[{"anything-but":{"prefix":""}}]}}])", 42,
               "$[0].value.p[0].anything-but.prefix", "empty prefix");
  expect_error(R"([{"value":{"p":[{"exists":"yes"}]}}])", 26, "$[0].value.p[0].exists",
               "true or false");
  expect_error(R"([{"value":{"p":[{"prefix":5}]}}])", 26, "$[0].value.p[0].prefix",
               "must be a string");
  expect_error(R"([{"value":{"p":[{"prefix":{"x":"y"}}]}}])", 26, "$[0].value.p[0].prefix",
               "equals-ignore-case");
  expect_error(R"([{"value":{"p":[{"equals-ignore-case":1}]}}])", 38,
               "$[0].value.p[0].equals-ignore-case", "must be a string");
  expect_error(R"([{"value":{"p":[{"wildcard":"*"}]}}])", 17, "$[0].value.p[0].wildcard",
               "does not implement");
}

TEST(FilterErrors, Or) {
  expect_error(R"([{"value":{"$or":[{"a":[1]}]}}])", 17, "$[0].value.$or", "at least two");
  expect_error(R"([{"value":{"$or":{"a":[1]}}}])", 17, "$[0].value.$or", "at least two");
  expect_error(R"([{"value":{"$or":[{"a":[1]},5]}}])", 28, "$[0].value.$or[1]", "must be an object");
  expect_error(R"([{"value":{"$or":[{"a":[1]},{"prefix":["x"]}]}}])", 29,
               "$[0].value.$or[1].prefix", "operator name");
}

TEST(FilterErrors, StringPatternsMapOffsetsBack) {
  // Inside a string the offsets point at the outer text, past the escapes.
  const std::string p = R"(["{\"value\":{\"a\":[{\"nope\":1}]}}"])";
  const size_t at = p.find("\\\"nope");
  expect_error(p, static_cast<int64_t>(at), "$[0].value.a[0].nope", "unknown operator");
  expect_error(R"(["{\"value\":"])", 13, "$[0]", "invalid JSON");
  expect_error(R"(["[1]"])", 2, "$[0]", "must be a JSON object");
}

TEST(FilterErrors, Limits) {
  std::string eleven = "[";
  for (int i = 0; i < 11; ++i) eleven += std::string(i ? "," : "") + R"({"value":{"a":[1]}})";
  eleven += "]";
  const size_t eleventh = 1 + 10 * (std::string(R"({"value":{"a":[1]}})").size() + 1);
  expect_error(eleven, static_cast<int64_t>(eleventh), "$[10]", "too many patterns");
  std::string ten = "[";
  for (int i = 0; i < 10; ++i) ten += std::string(i ? "," : "") + R"({"value":{"a":[1]}})";
  ten += "]";
  std::shared_ptr<const Filter> f;
  EXPECT_TRUE(compile(ten, &f).ok());

  // 4096 bytes are fine, 4097 are not (object and string forms).
  auto sized = [](size_t n) {
    std::string head = R"({"value":{"a":[")", tail = R"("]}})";
    return head + std::string(n - head.size() - tail.size(), 'x') + tail;
  };
  EXPECT_TRUE(compile("[" + sized(4096) + "]", &f).ok());
  expect_error("[" + sized(4097) + "]", 1, "$[0]", "more than 4096");
  std::string as_string = sized(4097);
  std::string escaped;
  for (char c : as_string) {
    if (c == '"') escaped += '\\';
    escaped += c;
  }
  expect_error("[\"" + escaped + "\"]", 1, "$[0]", "more than 4096");

  // Nesting: 64 levels are fine, 65 are not.
  auto nested = [](int levels) {
    std::string s;
    for (int i = 0; i < levels - 2; ++i) s += i == 0 ? R"({"value":)" : R"({"a":)";
    s += R"({"b":[1]})";
    for (int i = 0; i < levels - 2; ++i) s += "}";
    return s;
  };
  EXPECT_TRUE(compile("[" + nested(64) + "]", &f).ok()) << nested(64);
  Error e = compile_error("[" + nested(65) + "]");
  EXPECT_NE(e.message.find("nesting"), std::string::npos) << e.message;
  EXPECT_GT(e.offset, 0);

  // $or expansion is bounded.
  std::string boom = R"([{"value":{)";
  for (int i = 0; i < 11; ++i) {
    if (i) boom += ",";
    boom += "\"g" + std::to_string(i) + "\":{\"$or\":[{\"a\":[1]},{\"b\":[2]}]}";
  }
  boom += "}}]";
  e = compile_error(boom);
  EXPECT_NE(e.message.find("alternatives"), std::string::npos) << e.message;
}

TEST(FilterErrors, InvalidJsonDetails) {
  expect_error(R"([{"value":{"a":[01]}}])", 16, "$", "malformed number");
  expect_error(R"([{"value":{"a":["\x"]}}])", 17, "$", "bad escape");
  expect_error(R"([{"value":{"a":["\ud800"]}}])", 17, "$", "surrogate");
  expect_error("[{\"value\":{\"a\":[\"\xff\"]}}]", 17, "$", "UTF-8");
  expect_error(R"([{"value":{"a":[tru]}}])", 16, "$", "expected a value");
}

// equals-ignore-case with a short ASCII operand is compared 8 bytes at a
// time in lower case; the answer is the code-point comparison's
// (equals_ignore_case) on operands and values near the letters' edges
// ('@', '[', '`', '{'), with non-ASCII and invalid bytes, of every length 0..10.
TEST(FilterMatch, AsciiIgnoreCaseAgreesWithCodePoints) {
  std::mt19937_64 rng(3);
  const std::string alphabet = "aAzZmM@[`{09-_ ~\x7f";
  const char* const kOther[] = {"\xC3\xA9", "\xC3", "\xE2\x84\xAA", "\xC5\xBF", "K", "s", "\x01"};
  for (int i = 0; i < 4000; ++i) {
    std::string op;
    const size_t n = 1 + rng() % 10;
    for (size_t k = 0; k < n; ++k) op += alphabet[rng() % alphabet.size()];
    if (op.find('\x7f') != std::string::npos && rng() % 2) op[0] = 'q';
    std::string doc = op;
    for (char& c : doc) {
      if (rng() % 2 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) c ^= 0x20;
    }
    switch (rng() % 5) {
      case 0:
        doc[rng() % doc.size()] = alphabet[rng() % alphabet.size()];
        break;
      case 1: {
        const size_t at = rng() % doc.size();
        doc.replace(at, 1, kOther[rng() % (sizeof kOther / sizeof *kOther)]);
        break;
      }
      case 2:
        doc.resize(rng() % (doc.size() + 1));
        break;
      case 3:
        doc += alphabet[rng() % alphabet.size()];
        break;
      default:
        break;
    }
    std::string escaped;  // JSON text of doc (\u escapes for control characters)
    for (char c : doc) {
      if (static_cast<unsigned char>(c) < 0x20) {
        char b[8];
        std::snprintf(b, sizeof b, "\\u%04x", c);
        escaped += b;
      } else {
        escaped += c;
      }
    }
    Tester t(R"([{"value":{"a":[{"equals-ignore-case":")" + op + R"("}]}}])");
    const auto* d = reinterpret_cast<const uint8_t*>(doc.data());
    const bool expect = is_valid_utf8_scalar(d, doc.size()) && equals_ignore_case(doc, case_pairs(op));
    ASSERT_EQ(t.value(R"({"a":")" + escaped + R"("})"), expect) << op << " / " << doc;
  }
}

// ---------------------------------------------------------------- event-ruler differences

// The generated pairs where event-ruler 2.1.0 answers differently
// (scripts/filter-compare, seeds 1 and 3), reduced to their cause; sluice's
// answers are the documented ones (docs/FILTERS.md, "Choices and differences").
TEST(FilterEventRulerDifferences, GeneratedSeeds) {
  // Seed 1 #5347: exists:false on a field sorting before the positive one,
  // under an array of objects. The last element has c and lacks b.
  EXPECT_TRUE(M(R"({"value":{"b":[{"exists":false}],"c":[{"anything-but":-1.5}]}})",
                R"([{},{"a":100.00,"b":true,"c":[2.25]},{"c":false}])"));
  EXPECT_TRUE(M(R"({"value":{"b":[{"exists":false}],"c":[true]}})",
                R"([{"b":1,"c":true},{"c":true}])"));
  EXPECT_FALSE(M(R"({"value":{"b":[{"exists":false}],"c":[true]}})",
                 R"([{"b":1,"c":true},{"c":false}])"));
  // Seed 1 #5896: equals-ignore-case with an emoji operand (the record's
  // character written as a surrogate-pair escape, or as UTF-8).
  EXPECT_TRUE(M(R"({"value":{"c":[{"equals-ignore-case":"😀"}]}})",
                R"({"c":"\ud83d\ude00","d":"","b":{}})"));
  EXPECT_TRUE(M(R"({"value":{"c":[{"equals-ignore-case":"😀"}]}})", R"({"c":"😀"})"));
  // Seed 3 #9697: prefix with equals-ignore-case and an emoji operand.
  EXPECT_TRUE(M(R"({"value":[{"prefix":{"equals-ignore-case":"x😀"}}]})", R"("x😀y")"));
  EXPECT_TRUE(M(R"({"value":[{"prefix":{"equals-ignore-case":"x😀"}}]})", R"("X😀y")"));
  EXPECT_FALSE(M(R"({"value":[{"prefix":{"equals-ignore-case":"x😀"}}]})", R"("x😁y")"));
  // Seed 3 #7066: ß has no one-to-one upper case, so "STRASSE" is not
  // "Straße" ignoring case, and anything-but does not exclude it.
  EXPECT_TRUE(M(R"({"value":[{"anything-but":{"equals-ignore-case":["Straße"]}}]})", "STRASSE"));
  EXPECT_FALSE(M(R"({"value":[{"anything-but":{"equals-ignore-case":["Straße"]}}]})", "STRAßE"));
  EXPECT_FALSE(M(R"({"value":[{"equals-ignore-case":"Straße"}]})", "STRASSE"));
  // Seed 3 #11210: an exact string next to a numeric range that reaches
  // negative numbers and another string in the same list. event-ruler loses the
  // string match in about half of the machines it builds; the string matches.
  const char* p = R"({"value":{"c":["true",{"numeric":["<=",10.0]},"FILE.PNG"]}})";
  EXPECT_TRUE(M(p, R"({"\u0063":"t\u0072ue"})"));
  EXPECT_TRUE(M(p, R"({"c":"true"})"));
  EXPECT_TRUE(M(p, R"({"c":"FILE.PNG"})"));
  EXPECT_TRUE(M(p, R"({"c":-3})"));
  EXPECT_FALSE(M(p, R"({"c":"TRUE"})"));
  EXPECT_FALSE(M(p, R"({"c":true})"));
  EXPECT_FALSE(M(p, R"({"c":10.5})"));
  EXPECT_TRUE(M(R"({"value":{"c":["true",{"numeric":["<",0]},"x"]}})", R"({"c":"true"})"));
}

}  // namespace
}  // namespace sluice::filter
