// The C shim for filters. No logic: see core/filter/ (docs/FILTERS.md).
#include <memory>
#include <string_view>

#include "capi/src/error_c.h"
#include "core/filter/filter.h"
#include "core/filter/matcher.h"

struct sluice_filter {
  // The compiled patterns are immutable; the matcher holds the parser and
  // scratch memory, which is why one filter handle serves one thread at a time.
  std::unique_ptr<sluice::filter::Matcher> matcher;
};

using sluice::capi::guard;
using sluice::capi::invalid_argument;

extern "C" {

SLUICE_API sluice_error_t* sluice_filter_new(const char* patterns, uint64_t patterns_len,
                                             sluice_filter_t** out) {
  return guard([&]() -> sluice_error_t* {
    if (!out) return invalid_argument("sluice_filter_new: out is NULL");
    if (!patterns) return invalid_argument("sluice_filter_new: patterns is NULL");
    std::shared_ptr<const sluice::filter::Filter> f;
    const std::string_view text(patterns ? patterns : "", static_cast<size_t>(patterns_len));
    if (auto st = sluice::filter::compile(text, &f); !st.ok()) {
      return sluice::capi::from_status(std::move(st));
    }
    auto h = std::make_unique<sluice_filter>();
    h->matcher = std::make_unique<sluice::filter::Matcher>(std::move(f));
    *out = h.release();
    return nullptr;
  });
}

SLUICE_API void sluice_filter_destroy(sluice_filter_t* filter) { delete filter; }

SLUICE_API sluice_error_t* sluice_filter_match(sluice_filter_t* filter, const uint8_t* key,
                                               uint64_t key_len, const uint8_t* value,
                                               uint64_t value_len, int32_t* out) {
  return guard([&]() -> sluice_error_t* {
    if (!filter || !out) return invalid_argument("sluice_filter_match: NULL filter or out");
    const bool m = filter->matcher->match(key, key ? static_cast<size_t>(key_len) : 0,
                                          key == nullptr, value,
                                          value ? static_cast<size_t>(value_len) : 0,
                                          value == nullptr);
    *out = m ? 1 : 0;
    return nullptr;
  });
}

}  // extern "C"
