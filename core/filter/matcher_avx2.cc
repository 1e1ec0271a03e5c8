// matcher_avx2.cc: the record walker built against simdjson's AVX2
// ("haswell") On-Demand kernel. core/CMakeLists.txt compiles *_avx2.cc with
// -mavx2 -mbmi -mbmi2 -mpopcnt; simdjson's kernel also wants PCLMUL and
// LZCNT, enabled here. Only reached after avx2_engine_supported().
#if defined(__x86_64__) && defined(__clang__)
// clang ignores "#pragma GCC target"; its equivalent is an attribute on every
// function declared until the pop at the end of this file.
#pragma clang attribute push(__attribute__((target("avx2,bmi,bmi2,popcnt,pclmul,lzcnt"))), \
                             apply_to = function)
#define SLUICE_CLANG_TARGET_PUSHED 1
#elif defined(__x86_64__) && defined(__GNUC__)
#pragma GCC target("avx2,bmi,bmi2,popcnt,pclmul,lzcnt")
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// The pragma enables the instructions but GCC does not define the feature
// macros simdjson reads to pick its built-in kernel; say it ourselves.
#ifndef __PCLMUL__
#define __PCLMUL__ 1
#endif
#ifndef __LZCNT__
#define __LZCNT__ 1
#endif
#endif

#include <simdjson.h>

#include <cstring>

#if defined(__x86_64__) && !SIMDJSON_CAN_ALWAYS_RUN_HASWELL
#error "simdjson's AVX2 kernel is not selected in this file"
#endif

#include "core/filter/matcher_internal.h"
#include "core/filter/text.h"

namespace sluice::filter::internal {
namespace {
namespace od = simdjson::ondemand;
#include "core/filter/matcher_engine.inc"
}  // namespace

std::unique_ptr<Engine> make_avx2_engine(const CompiledFilter& f) {
  return std::make_unique<WalkEngine>(f);
}

}  // namespace sluice::filter::internal

#ifdef SLUICE_CLANG_TARGET_PUSHED
#pragma clang attribute pop
#endif
