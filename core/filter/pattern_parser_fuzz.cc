// pattern_parser_fuzz.cc: libFuzzer target for the "filter.patterns" compiler
// (built by tests/fuzz/, run by scripts/fuzz). The input is the patterns text,
// any bytes. Compiling must never crash, hang or leak; an error is a normal
// outcome, but it must carry SLUICE_ERR_INVALID_PATTERN, an offset inside the
// text and a JSON path. A filter that compiles is then matched against a few
// fixed records (a JSON object, a scalar, a plain string, null), which must
// give the same verdict twice.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "core/filter/filter.h"
#include "core/filter/matcher.h"

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    __builtin_fprintf(stderr, "pattern_parser_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

const uint8_t* u8(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sluice::filter;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::shared_ptr<const Filter> f;
  sluice::Status st = compile(text, &f);
  if (!st.ok()) {
    const sluice::Error& e = st.error();
    check(e.code == SLUICE_ERR_INVALID_PATTERN, "error code is INVALID_PATTERN");
    check(e.offset >= 0 && static_cast<size_t>(e.offset) <= size, "error offset inside the text");
    check(!e.path.empty() && e.path[0] == '$', "error path starts with $");
    check(!e.message.empty(), "error message");
    check(f == nullptr, "no filter on error");
    return 0;
  }
  check(f != nullptr, "filter on success");
  check(f->pattern_count() >= 1 && f->pattern_count() <= kMaxPatterns, "pattern count");
  Matcher m(f);
  static constexpr std::string_view kRecords[] = {
      R"({"a":1,"b":"x","c":[1,{"d":null}],"value":{"e":true}})",
      R"("abc")",
      "300",
      "not json",
  };
  for (std::string_view v : kRecords) {
    const bool r1 = m.match(u8("k"), 1, false, u8(v), v.size(), false);
    const bool r2 = m.match(u8("k"), 1, false, u8(v), v.size(), false);
    check(r1 == r2, "same verdict twice");
  }
  m.match(nullptr, 0, true, nullptr, 0, true);
  return 0;
}
