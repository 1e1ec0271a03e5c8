// matcher_fuzz.cc: libFuzzer target for matching records (built by
// tests/fuzz/, run by scripts/fuzz). Matching must never crash, hang, leak or
// read outside the record's bytes, whatever the record and the patterns.
//
// Input: one control byte, then the payload.
//   bit 7 set: the payload up to its first NUL byte is compiled as
//              filter.patterns, the rest is the record; when the patterns do
//              not compile, the fixed set below is used instead
//   bit 7 clear: the whole payload is the record
//   bits 0-3: which fixed pattern set (modulo their number)
//   bits 4-5: how the record is split: 0 value only (null key), 1 key only
//             (null value), 2 key = first half, value = second half,
//             3 value with the key "k"
// Each part is copied into a heap buffer of exactly its size, so that ASan
// sees any read past its end.
//
// Checks beyond "no crash": the verdict is the same twice in a row, and the
// same from a matcher that has seen every earlier input (no state leaks
// between records); the matcher's JSON check (json_scan.h) agrees with
// simdjson's DOM parser on whether the value is JSON (outside the documented
// differences: depth, numbers simdjson cannot represent); and when the value
// is JSON, its minified form (whitespace removed) gets the same verdict; the
// scalar UTF-8 check and simdjson's validate_utf8 (used from 64 bytes on)
// agree on the value's bytes and on every suffix of its first 130 bytes.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "core/filter/filter.h"
#include "core/filter/matcher.h"
#include "core/filter/matcher_internal.h"
#include "core/filter/text.h"

namespace {

using sluice::filter::Filter;
using sluice::filter::Matcher;

// Every operator, nesting, arrays, $or, key patterns, exists:false, numbers.
constexpr const char* kSets[] = {
    R"([{"value":{"type":["order"],"status":["paid"]}}])",
    R"([{"value":{"type":["order"],"status":["paid"]}},{"value":{"amount":[{"numeric":[">",1900]}]}},{"value":{"customer":{"tier":["platinum"],"country":[{"anything-but":["US","DE"]}]}}},{"value":{"items":{"sku":[{"prefix":"Z9"}]}}},{"value":{"currency":[{"equals-ignore-case":"jpy"}],"status":[{"exists":true}]}}])",
    R"([{"value":["abc",300,true,null,""]},{"value":[{"prefix":"ERR"}]},{"value":[{"suffix":{"equals-ignore-case":"X"}}]}])",
    R"([{"value":{"a":{"b":[{"exists":false}],"c":[1]}}},{"key":[{"exists":false}]}])",
    R"([{"value":{"$or":[{"a":[1]},{"b":{"c":[{"numeric":[">=",0,"<",1]}]}},{"$or":[{"d":[null]},{"e":[false]}]}]}}])",
    R"([{"value":{"a":[{"anything-but":{"prefix":"x"}}],"b":[{"anything-but":[1,2.5,-0]}]}}])",
    R"([{"value":{"a":[{"anything-but":{"suffix":["z","y"]}}],"b":[{"anything-but":{"equals-ignore-case":["Ä","ß"]}}]}}])",
    R"([{"value":{"a":{"b":{"c":{"d":{"e":[{"exists":true}]}}}}}},{"value":{"x":[{"exists":false}]}}])",
    R"([{"key":[{"prefix":"user-"}],"value":{"k":[{"exists":true}]}},{"key":{"id":[12345678901234567]}}])",
    R"([{"value":[{"numeric":["=",0]}]},{"value":{"n":[300,0.1,1e2,-5e-324]}},{"value":[{"equals-ignore-case":"straße"}]}])",
    R"([{"value":{"":[""],"\u00e9":["\ud83d\ude00"],"a\"b":[{"exactly":"x\\y"}]}}])",
    R"([{"value":[{"exists":false}]},{"value":{"a":[{"exists":false}],"b":[{"exists":false}]}}])",
    R"([{"value":{"items":{"qty":[4],"sku":[{"prefix":"A"}]}}},{"value":{"$or":[{"status":["failed"]},{"currency":["GBP"],"type":["cancel"]}]}}])",
    R"([{"value":[{"anything-but":"a"}]},{"value":[{"exists":true}]}])",
    R"([{"value":{"a":[{"wildcard":"x"}]}}])",  // rejected: falls through to set 0 below
    R"({"value":{"a":{"a":{"a":[{"numeric":[">",-1e308,"<=",1e308]}]}}}})",
};
constexpr size_t kSetCount = sizeof(kSets) / sizeof(kSets[0]);

void check(bool ok, const char* what) {
  if (!ok) {
    __builtin_fprintf(stderr, "matcher_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

// One long-lived matcher per fixed set, reused across inputs: its verdicts
// must equal a fresh matcher's (nothing a record leaves behind, such as the
// key order guesses, may change a later answer).
Matcher* long_lived(const std::shared_ptr<const Filter>& f) {
  static std::vector<std::pair<const Filter*, std::unique_ptr<Matcher>>> all;
  for (auto& [k, m] : all) {
    if (k == f.get()) return m.get();
  }
  all.emplace_back(f.get(), std::make_unique<Matcher>(f));
  return all.back().second.get();
}

std::shared_ptr<const Filter> fixed_set(size_t i) {
  static std::shared_ptr<const Filter> compiled[kSetCount];
  static bool done = false;
  if (!done) {
    for (size_t k = 0; k < kSetCount; ++k) {
      if (!sluice::filter::compile(kSets[k], &compiled[k]).ok()) compiled[k] = nullptr;
    }
    done = true;
  }
  for (size_t k = 0; k < kSetCount; ++k) {
    const auto& f = compiled[(i + k) % kSetCount];
    if (f) return f;
  }
  std::abort();
}

// An exactly-sized heap copy (nullptr for a null part).
struct Part {
  std::unique_ptr<uint8_t[]> bytes;
  size_t len = 0;
  bool null = true;
  void set(const uint8_t* p, size_t n) {
    bytes.reset(new uint8_t[n ? n : 1]);
    if (n) std::memcpy(bytes.get(), p, n);
    len = n;
    null = false;
  }
  const uint8_t* data() const { return null ? nullptr : bytes.get(); }
};

bool run(Matcher& m, const Part& key, const Part& value) {
  return m.match(key.data(), key.len, key.null, value.data(), value.len, value.null);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t ctl = data[0];
  const uint8_t* rec = data + 1;
  size_t rec_len = size - 1;

  std::shared_ptr<const Filter> f;
  if (ctl & 0x80) {
    const void* nul = std::memchr(rec, 0, rec_len);
    const size_t plen = nul ? static_cast<size_t>(static_cast<const uint8_t*>(nul) - rec) : rec_len;
    std::shared_ptr<const Filter> custom;
    if (sluice::filter::compile(std::string_view(reinterpret_cast<const char*>(rec), plen), &custom)
            .ok()) {
      f = custom;
    }
    const size_t skip = nul ? plen + 1 : plen;
    rec += skip;
    rec_len -= skip;
  }
  if (!f) f = fixed_set(ctl & 0x0F);

  Part key, value;
  switch ((ctl >> 4) & 3) {
    case 0:
      value.set(rec, rec_len);
      break;
    case 1:
      key.set(rec, rec_len);
      break;
    case 2:
      key.set(rec, rec_len / 2);
      value.set(rec + rec_len / 2, rec_len - rec_len / 2);
      break;
    default:
      key.set(reinterpret_cast<const uint8_t*>("k"), 1);
      value.set(rec, rec_len);
      break;
  }

  Matcher m(f);
  const bool r1 = run(m, key, value);
  const bool r2 = run(m, key, value);
  check(r1 == r2, "same verdict twice");
  const bool fixed = !(ctl & 0x80) || f.get() == fixed_set(ctl & 0x0F).get();
  if (fixed) check(run(*long_lived(f), key, value) == r1, "a long-lived matcher agrees");

  if (!value.null) {
    const uint8_t* v = value.data();
    check(sluice::filter::is_valid_utf8_scalar(v, value.len) ==
              sluice::filter::is_valid_utf8_simdjson(v, value.len),
          "UTF-8: scalar and simdjson agree");
    for (size_t i = 1; i < value.len && i < 130; ++i) {
      check(sluice::filter::is_valid_utf8_scalar(v + i, value.len - i) ==
                sluice::filter::is_valid_utf8_simdjson(v + i, value.len - i),
            "UTF-8: scalar and simdjson agree on a suffix");
    }
  }

  // Valid JSON: whitespace outside strings does not change the verdict.
  if (!value.null && value.len > 0) {
    static simdjson::dom::parser parser;
    simdjson::dom::element el;
    const simdjson::error_code err = parser.parse(value.data(), value.len).get(el);
    const bool ours = sluice::filter::internal::is_json_record(value.data(), value.len);
    size_t opens = 0;
    for (size_t i = 0; i < value.len; ++i) opens += value.data()[i] == '[' || value.data()[i] == '{';
    const bool bom = value.len >= 3 && std::memcmp(value.data(), "\xEF\xBB\xBF", 3) == 0;
    // simdjson rejects numbers it cannot represent (1e400, huge integers)
    // and nests up to 1024 levels (sluice 1000); it skips a byte-order mark.
    if (err != simdjson::NUMBER_ERROR && err != simdjson::NUMBER_OUT_OF_RANGE &&
        err != simdjson::DEPTH_ERROR && opens <= sluice::filter::kMaxRecordDepth && !bom) {
      if (ours != (err == simdjson::SUCCESS)) {
        __builtin_fprintf(stderr, "simdjson: %s\n", simdjson::error_message(err));
      }
      check(ours == (err == simdjson::SUCCESS), "JSON validity agrees with simdjson");
    }
    if (err == simdjson::SUCCESS) {
      std::vector<char> mini(value.len);
      size_t mini_len = 0;
      if (simdjson::minify(reinterpret_cast<const char*>(value.data()), value.len, mini.data(),
                           mini_len) == simdjson::SUCCESS) {
        Part v2;
        v2.set(reinterpret_cast<const uint8_t*>(mini.data()), mini_len);
        check(run(m, key, v2) == r1, "minified JSON gets the same verdict");
      }
    }
  }
  return 0;
}
