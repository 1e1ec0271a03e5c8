// base64_benchmark.cc: the AVX-512 VBMI, AVX2 and scalar base64 encoders and
// the dispatching base64_encode against memcpy of the same input, at 16 B (a
// typical key), 100 B, 1 KiB and 64 KiB. bytes_per_second counts INPUT
// bytes for all three (the encoders write 4/3 as many); out_bytes_per_second
// counts what each one writes.
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <vector>

#include "core/event/base64.h"

namespace {

using sluice::event::base64_encoded_size;

std::vector<uint8_t> random_input(size_t n) {
  std::mt19937 rng(12345);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

void set_rates(benchmark::State& state, size_t in_bytes, size_t out_bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in_bytes));
  state.counters["out_bytes_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * out_bytes), benchmark::Counter::kIsRate,
      benchmark::Counter::kIs1024);
}

void BM_Memcpy(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  const auto in = random_input(n);
  std::vector<char> out(n);
  for (auto _ : state) {
    benchmark::DoNotOptimize(in.data());
    std::memcpy(out.data(), in.data(), n);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_rates(state, n, n);
}

template <size_t (*Encode)(const uint8_t*, size_t, char*)>
void BM_Encode(benchmark::State& state) {
  if ((Encode == sluice::event::base64_encode_avx2 && !sluice::event::cpu_has_avx2()) ||
      (Encode == sluice::event::base64_encode_avx512 && !sluice::event::cpu_has_avx512vbmi())) {
    state.SkipWithError("this CPU lacks the instruction set");
    return;
  }
  const auto n = static_cast<size_t>(state.range(0));
  const auto in = random_input(n);
  std::vector<char> out(base64_encoded_size(n));
  for (auto _ : state) {
    benchmark::DoNotOptimize(in.data());
    benchmark::DoNotOptimize(Encode(in.data(), n, out.data()));
    benchmark::ClobberMemory();
  }
  set_rates(state, n, out.size());
}

constexpr int64_t kSizes[] = {16, 100, 1024, 64 * 1024};

void sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : kSizes) b->Arg(n);
}

BENCHMARK(BM_Memcpy)->Apply(sizes);
BENCHMARK(BM_Encode<sluice::event::base64_encode_avx512>)->Name("BM_Base64Avx512")->Apply(sizes);
BENCHMARK(BM_Encode<sluice::event::base64_encode_avx2>)->Name("BM_Base64Avx2")->Apply(sizes);
BENCHMARK(BM_Encode<sluice::event::base64_encode_scalar>)->Name("BM_Base64Scalar")->Apply(sizes);
BENCHMARK(BM_Encode<sluice::event::base64_encode>)->Name("BM_Base64Dispatch")->Apply(sizes);

}  // namespace
