#include "benchmarks/roofline.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>

#include <Kokkos_Core.hpp>

#include "framework/types.hpp"

namespace kaa_bench {

namespace {

using Buffer = Kokkos::View<double*, kaa::MemSpace>;

// Independent accumulators: enough to cover the add (or FMA) latency times the number of
// pipelines for 256-bit vectors (4 cycles x 2 pipes x 4 doubles), so issue width, not a
// dependency chain, sets the pace. 512-bit vectors would need twice as many for double; the
// measured peak then understates an AVX-512 build, which makes every fraction conservative.
constexpr std::size_t kReadAccumulators = 32;
constexpr std::size_t kReadChunks = 256;

template <class Clock = std::chrono::steady_clock>
double seconds_since(typename Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double read_once(const Buffer& x) {
  const std::size_t per_chunk = x.extent(0) / kReadChunks / kReadAccumulators * kReadAccumulators;
  const double* data = x.data();
  double sum = 0;
  Kokkos::parallel_reduce(
      "bench.roofline.read", Kokkos::RangePolicy<kaa::ExecSpace>(0, kReadChunks),
      KOKKOS_LAMBDA(const std::size_t c, double& acc) {
        double s[kReadAccumulators] = {};
        const double* p = data + c * per_chunk;
        for (std::size_t i = 0; i < per_chunk; i += kReadAccumulators)
          for (std::size_t l = 0; l < kReadAccumulators; ++l) s[l] += p[i + l];
        double total = 0;
        for (std::size_t l = 0; l < kReadAccumulators; ++l) total += s[l];
        acc += total;
      },
      sum);
  return sum;
}

/// Vector registers' worth of independent multiply-add chains per thread (64 floats or 32
/// doubles: 8 AVX registers), `rounds` dependent steps each.
template <class S>
double multiply_add_loop(std::size_t threads, std::size_t rounds) {
  constexpr std::size_t chains = 256 / sizeof(S);
  Kokkos::View<S*, kaa::MemSpace> out("bench.roofline.fma_out", threads);
  // Runtime values, so the compiler can neither fold the loop nor drop it.
  const S scale = static_cast<S>(0.999999), shift = static_cast<S>(1e-7);
  Kokkos::parallel_for(
      "bench.roofline.fma", Kokkos::RangePolicy<kaa::ExecSpace>(0, threads),
      KOKKOS_LAMBDA(const std::size_t t) {
        S acc[chains];
        for (std::size_t j = 0; j < chains; ++j) acc[j] = static_cast<S>(t + j) * S(1e-3);
        for (std::size_t r = 0; r < rounds; ++r)
          for (std::size_t j = 0; j < chains; ++j) acc[j] = acc[j] * scale + shift;
        S total = 0;
        for (std::size_t j = 0; j < chains; ++j) total += acc[j];
        out(t) = total;
      });
  Kokkos::fence();
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  benchmark::DoNotOptimize(host(0));
  return 2.0 * static_cast<double>(chains) * static_cast<double>(rounds) *
         static_cast<double>(threads);
}

}  // namespace

double measure_read_bandwidth(std::size_t bytes, int repetitions) {
  Buffer x("bench.roofline.read_buffer", bytes / sizeof(double));
  Kokkos::deep_copy(x, 1.0);
  Kokkos::fence();
  const double read = static_cast<double>(x.extent(0) / kReadChunks / kReadAccumulators *
                                          kReadAccumulators * kReadChunks * sizeof(double));
  double best = 1e300;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(read_once(x));
    best = std::min(best, seconds_since(start));
  }
  return read / best;
}

template <class S>
double measure_peak_flops(int repetitions) {
  // One thread's best times the thread count: cores do arithmetic independently, and on a shared
  // machine one thread finds an undisturbed millisecond far more often than all of them at once
  // (all threads together measured anywhere from 0.55 to 1 times this under load). All-core clocks
  // can be lower than one core's, so this errs high, and the fractions it gives err low.
  const auto threads = static_cast<double>(kaa::ExecSpace().concurrency());
  // About a millisecond a run.
  constexpr std::size_t rounds = std::size_t{1} << 19;
  double best = 0;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const double flops = multiply_add_loop<S>(1, rounds);
    best = std::max(best, flops / seconds_since(start));
  }
  return best * threads;
}

template double measure_peak_flops<float>(int);
template double measure_peak_flops<double>(int);

const Roofline& roofline() {
  static const Roofline measured = [] {
    Roofline r;
    r.float_flops_per_s = measure_peak_flops<float>(40);
    r.double_flops_per_s = measure_peak_flops<double>(40);
    r.read_bytes_per_s = measure_read_bandwidth(std::size_t{1} << 30, 10);
    return r;
  }();
  return measured;
}

}  // namespace kaa_bench
