// Where a host pass stops paying for a parallel region: the same axpy-like pass over `work`
// values launched as a parallel_for on the execution space and as a loop on the calling thread.
// The crossover sets kernels::kInlineWork (framework/kernels/launch.hpp; benchmarks/RESULTS.md,
// "Small fits").
#include "benchmarks/bench_common.hpp"
#include "framework/kernels/launch.hpp"

namespace kaa_bench {

namespace {

using Values = Kokkos::View<double*, kaa::MemSpace>;

template <bool kInline>
void small_pass(benchmark::State& state) {
  const std::size_t work = static_cast<std::size_t>(state.range(0));
  Values x("bench.small.x", work), y("bench.small.y", work);
  Kokkos::deep_copy(x, 1.0);
  Kokkos::fence();
  const double a = 1e-9;
  auto body = KOKKOS_LAMBDA(const std::size_t i) { y(i) = a * y(i) + x(i); };
  for (auto _ : state) {
    if constexpr (kInline) {
      for (std::size_t i = 0; i < work; ++i) body(i);
    } else {
      Kokkos::parallel_for("bench.small_pass", Kokkos::RangePolicy<kaa::ExecSpace>(0, work), body);
    }
    benchmark::ClobberMemory();
  }
  state.counters["threads"] = kaa::ExecSpace().concurrency();
  state.counters["inline_threshold"] = static_cast<double>(kaa::kernels::kInlineWork);
}

void work_sizes(benchmark::internal::Benchmark* b) {
  b->ArgName("work");
  for (long w = 256; w <= (1L << 20); w *= 4) b->Arg(w);
  b->UseRealTime();
  b->Unit(benchmark::kMicrosecond);
}

BENCHMARK(small_pass<false>)->Name("small_pass/parallel")->Apply(work_sizes);
BENCHMARK(small_pass<true>)->Name("small_pass/inline")->Apply(work_sizes);

}  // namespace

}  // namespace kaa_bench
