// One update of the base model (loss and gradients, Adam, both projections), and the machine's
// streaming read bandwidth, so a report can state a kernel's time as a fraction of that limit.
#include <benchmark/benchmark.h>

#include "framework/config/config.hpp"
#include "framework/host_transfer.hpp"
#include "framework/model.hpp"
#include "strategies/register_all.hpp"

namespace {

template <class S>
void base_iteration(benchmark::State& state) {
  const std::size_t n = state.range(0), d = state.range(1), k = state.range(2);
  kaa::Registry registry;
  kaa::register_all(registry);
  nlohmann::json raw = kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json");
  raw["model"]["n_archetypes"] = k;
  raw["model"]["precision"] = std::is_same_v<S, float> ? "float32" : "float64";
  raw["stopping"] = {{{"type", "max_iter"}, {"value", 1}}};
  const auto resolved = kaa::resolve_config(raw, registry, "base.json");
  auto data = registry
                  .make<kaa::Dataset, double>({{"type", "synthetic"},
                                               {"n", n},
                                               {"d", d},
                                               {"n_archetypes", k},
                                               {"noise", 0.05},
                                               {"concentration", 1.0},
                                               {"seed", 0}})
                  ->load(0);
  const auto X = kaa::to_device<S>(data.X, "X");
  kaa::Model<S> model(resolved, registry);
  auto params = kaa::allocate_parameters<S>("p", n, k, d);
  model.initialize(X, params, 42);
  for (auto _ : state) {
    model.iterate(X, params);
    Kokkos::fence();
  }
  const double bytes = static_cast<double>(n) * d * sizeof(S);
  state.counters["X_bytes_per_s"] =
      benchmark::Counter(bytes * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["flops_per_s"] =
      benchmark::Counter(6.0 * n * d * k * state.iterations(), benchmark::Counter::kIsRate);
}

void read_bandwidth(benchmark::State& state) {
  const std::size_t n = state.range(0);
  Kokkos::View<double*> x("x", n);
  Kokkos::deep_copy(x, 1.0);
  for (auto _ : state) {
    double sum = 0;
    Kokkos::parallel_reduce(
        "read", n, KOKKOS_LAMBDA(const std::size_t i, double& acc) { acc += x(i); }, sum);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["bytes_per_s"] =
      benchmark::Counter(8.0 * n * state.iterations(), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(base_iteration<float>)
    ->ArgNames({"n", "d", "k"})
    ->Args({1000, 10, 5})
    ->Args({100000, 50, 10})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(base_iteration<double>)
    ->ArgNames({"n", "d", "k"})
    ->Args({1000, 10, 5})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(read_bandwidth)->Arg(1 << 16)->Arg(1 << 25)->UseRealTime();
