// Shared pieces of the kaa_bench families: the registry, the base config at a given size and
// precision, synthetic data made on the device, the size grid and the rate and roofline counters.
#pragma once
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <type_traits>

#include <Kokkos_Core.hpp>

#include "benchmarks/roofline.hpp"
#include "framework/config/config.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/math.hpp"
#include "framework/model.hpp"
#include "strategies/register_all.hpp"

namespace kaa_bench {

using nlohmann::json;

inline const kaa::Registry& registry() {
  static const kaa::Registry r = [] {
    kaa::Registry out;
    kaa::register_all(out);
    return out;
  }();
  return r;
}

template <class S>
constexpr const char* type_name() {
  return std::is_same_v<S, float> ? "float" : "double";
}

/// configs/base.json with k archetypes in precision S and the nodes at the JSON pointers of
/// `patch` replaced, e.g. {{"/optimizer", {{"type", "my_solver"}}}}, resolved.
template <class S>
json base_config(std::size_t k, const json& patch = json::object()) {
  json raw = kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json");
  raw["model"]["n_archetypes"] = k;
  raw["model"]["precision"] = std::is_same_v<S, float> ? "float32" : "float64";
  for (const auto& [pointer, value] : patch.items()) raw[json::json_pointer(pointer)] = value;
  return kaa::resolve_config(raw, registry(), "base.json");
}

/// n x d data: Dirichlet(1) mixtures of 5 archetypes drawn U(0, 1)^d plus uniform noise of
/// standard deviation 0.05, from the counter-based generator in one kernel (the dataset strategy
/// draws on the host, which would dominate the set-up of the large sizes).
template <class S>
kaa::Matrix<S> synthetic(std::size_t n, std::size_t d, std::uint64_t seed = 0) {
  constexpr std::size_t kTrue = 5;
  kaa::Matrix<S> X("bench.X", n, d);
  const double half_width = 0.05 * 1.7320508075688772;  // sd of U(-h, h) is h / sqrt(3)
  Kokkos::parallel_for(
      "bench.synthetic", Kokkos::RangePolicy<kaa::ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        double w[kTrue];
        double sum = 0;
        for (std::size_t j = 0; j < kTrue; ++j) {
          w[j] = -kaa::kernels::log(1.0 - kaa::kernels::uniform01(seed, 1, i * kTrue + j));
          sum += w[j];
        }
        for (std::size_t f = 0; f < d; ++f) {
          double v = 0;
          for (std::size_t j = 0; j < kTrue; ++j)
            v += w[j] / sum * kaa::kernels::uniform01(seed, 0, j * d + f);
          const double u = kaa::kernels::uniform01(seed, 2, i * d + f);
          X(i, f) = static_cast<S>(v + half_width * (2.0 * u - 1.0));
        }
      });
  Kokkos::fence();
  return X;
}

/// CPU seconds of all threads of the process so far. Per iteration it measures the work a
/// benchmark does, which a shared machine's load does not inflate as it inflates wall time.
inline double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

/// Reports the process CPU time per iteration since `start` (from process_cpu_seconds()).
inline void set_cpu_per_iteration(benchmark::State& state, double start) {
  state.counters["cpu_ms_per_iter"] =
      (process_cpu_seconds() - start) * 1e3 / static_cast<double>(state.iterations());
}

/// Sets bytes_per_s and flops_per_s from the per-iteration amounts, and roofline_fraction: the
/// roofline time max(flops / peak, bytes / bandwidth) over the measured time (1 = at the limit;
/// the peaks are measured by this binary, see roofline.hpp), with the peaks themselves.
template <class S>
void set_rates(benchmark::State& state, double bytes, double flops) {
  const double it = static_cast<double>(state.iterations());
  state.counters["bytes_per_s"] = benchmark::Counter(bytes * it, benchmark::Counter::kIsRate);
  state.counters["flops_per_s"] = benchmark::Counter(flops * it, benchmark::Counter::kIsRate);
  const double limit_seconds =
      std::max(flops / peak_flops<S>(), bytes / roofline().read_bytes_per_s);
  state.counters["roofline_fraction"] =
      benchmark::Counter(limit_seconds * it, benchmark::Counter::kIsRate);
  state.counters["memory_bound"] = bytes / roofline().read_bytes_per_s >= flops / peak_flops<S>();
  state.counters["peak_GFlops"] = peak_flops<S>() / 1e9;
  state.counters["bandwidth_GBps"] = roofline().read_bytes_per_s / 1e9;
}

/// The size grid every family registers (n in 1e3..1e6, d in {10, 100}, k in {5, 20}) plus the
/// sizes the performance targets name (d = 50, k = 10 at n = 1e4..1e6 for the scaling in n; n =
/// 1e6, d = 100, k = 10); filter with e.g. --benchmark_filter='n:1000/d:10/k:5/'.
/// KAA_BENCH_EXTRA_N=N adds n = N at d = 100, k = 10 (scripts/gpu_check.sh: n = 1e7, too large for
/// a CPU run).
inline void sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"n", "d", "k"});
  b->ArgsProduct({{1000, 10000, 100000, 1000000}, {10, 100}, {5, 20}});
  b->ArgsProduct({{10000, 100000, 1000000}, {50}, {10}});
  b->Args({1000000, 100, 10});
  if (const char* extra = std::getenv("KAA_BENCH_EXTRA_N"))
    if (const long long n = std::atoll(extra); n > 0) b->Args({n, 100, 10});
  b->UseRealTime();
  b->Unit(benchmark::kMillisecond);
}

/// Data and initialised parameters of the model a resolved config describes.
template <class S>
struct Problem {
  json config;
  kaa::Matrix<S> X;
  std::unique_ptr<kaa::Model<S>> model;
  kaa::Parameters<S> params;
};

template <class S>
Problem<S> make_problem(const benchmark::State& state, const json& patch = json::object()) {
  const std::size_t n = state.range(0), d = state.range(1), k = state.range(2);
  Problem<S> p;
  p.config = base_config<S>(k, patch);
  p.X = synthetic<S>(n, d);
  p.model = std::make_unique<kaa::Model<S>>(p.config, registry());
  p.params = p.model->allocate(n, d);
  p.model->initialize(p.X, p.params, 42);
  Kokkos::fence();
  return p;
}

}  // namespace kaa_bench
