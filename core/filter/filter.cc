#include "core/filter/filter.h"

#include "core/filter/pattern.h"
#include "core/filter/pattern_parser.h"

namespace sluice::filter {

Filter::Filter(std::unique_ptr<CompiledFilter> c) : c_(std::move(c)) {}
Filter::~Filter() = default;

size_t Filter::pattern_count() const { return c_->pattern_count; }

Status compile(std::string_view patterns_json, std::shared_ptr<const Filter>* out) {
  std::unique_ptr<CompiledFilter> c;
  if (auto st = compile_patterns(patterns_json, &c); !st.ok()) return st;
  *out = std::make_shared<const Filter>(std::move(c));
  return {};
}

}  // namespace sluice::filter
