// The roofline's own measurements as benchmark families, to watch them alone: streaming reads (1
// MiB stays in cache, the smoke run's size; 1 GiB streams from memory) and the multiply-add peak.
#include "benchmarks/bench_common.hpp"

namespace kaa_bench {

namespace {

void read_bandwidth(benchmark::State& state) {
  const auto bytes = static_cast<std::size_t>(state.range(0));
  double rate = 0;
  for (auto _ : state) rate = measure_read_bandwidth(bytes, 1);
  state.counters["bytes_per_s"] = rate;
}

BENCHMARK(read_bandwidth)
    ->ArgName("bytes")
    ->Arg(1 << 20)
    ->Arg(1 << 30)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

template <class S>
void peak_flops_family(benchmark::State& state) {
  double rate = 0;
  for (auto _ : state) rate = measure_peak_flops<S>(1);
  state.counters["flops_per_s"] = rate;
}

BENCHMARK(peak_flops_family<float>)
    ->Name("peak_flops<float>")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(peak_flops_family<double>)
    ->Name("peak_flops<double>")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

}  // namespace kaa_bench
