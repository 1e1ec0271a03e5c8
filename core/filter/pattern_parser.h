// pattern_parser.h: turns "filter.patterns" text into a CompiledFilter,
// rejecting what Lambda / event-ruler reject, with the byte offset and JSON
// path of the problem.
#pragma once

#include <memory>
#include <string_view>

#include "core/filter/pattern.h"
#include "core/util/status.h"

namespace sluice::filter {

Status compile_patterns(std::string_view patterns_json, std::unique_ptr<CompiledFilter>* out);

}  // namespace sluice::filter
