// The machine's streaming read bandwidth, the yardstick of the "fraction of the bandwidth limit"
// counters: a pass over X cannot be faster than reading X once.
#include <algorithm>
#include <chrono>

#include "benchmarks/bench_common.hpp"
#include "framework/kernels/row_tiles.hpp"

namespace kaa_bench {

namespace {

using Buffer = Kokkos::View<double*, kaa::MemSpace>;

/// Sum of the buffer, kLanes independent partial sums per block of 64 values, so the read and not
/// the addition chain sets the pace.
double read_once(const Buffer& x) {
  constexpr std::size_t block = 64;
  const std::size_t blocks = x.extent(0) / block;
  double sum = 0;
  Kokkos::parallel_reduce(
      "bench.read", Kokkos::RangePolicy<kaa::ExecSpace>(0, blocks),
      KOKKOS_LAMBDA(const std::size_t b, double& acc) {
        double s[kaa::kernels::kLanes] = {};
        for (std::size_t f = 0; f < block; f += kaa::kernels::kLanes)
          for (std::size_t l = 0; l < kaa::kernels::kLanes; ++l) s[l] += x(b * block + f + l);
        acc += kaa::kernels::lane_sum(s);
      },
      sum);
  return sum;
}

Buffer filled(std::size_t bytes) {
  Buffer x("bench.read_buffer", bytes / sizeof(double));
  Kokkos::deep_copy(x, 1.0);
  Kokkos::fence();
  return x;
}

}  // namespace

double measure_read_bandwidth(std::size_t bytes, int repetitions) {
  const Buffer x = filled(bytes);
  double best = 1e300;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(read_once(x));
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return static_cast<double>(x.extent(0) * sizeof(double)) / best;
}

double read_bandwidth_limit() {
  static const double bandwidth = measure_read_bandwidth(std::size_t{1} << 30, 5);
  return bandwidth;
}

namespace {

void read_bandwidth(benchmark::State& state) {
  const Buffer x = filled(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(read_once(x));
  state.counters["bytes_per_s"] = benchmark::Counter(
      static_cast<double>(x.extent(0) * sizeof(double)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

// 1 MiB stays in cache (the smoke run's size); 1 GiB streams from memory.
BENCHMARK(read_bandwidth)
    ->ArgName("bytes")
    ->Arg(1 << 20)
    ->Arg(1 << 30)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

}  // namespace kaa_bench
