// Kokkos first (threads from --threads=N, else OMP_NUM_THREADS / the default), then Google
// Benchmark, with the build's provenance and the measured read bandwidth in the output context.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

#include <Kokkos_Core.hpp>

#include "framework/kokkos_session.hpp"
#include "kaa_version.hpp"

namespace kaa_bench {
void register_strategy_benchmarks();
}

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  int threads = 0;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--threads=", 10) == 0)
      threads = std::stoi(argv[i] + 10);
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  kaa::KokkosSession kokkos(threads);
  kaa_bench::register_strategy_benchmarks();
  benchmark::AddCustomContext("kaa_version", KAA_VERSION);
  benchmark::AddCustomContext("kaa_git_commit", KAA_GIT_COMMIT);
  benchmark::AddCustomContext("kaa_target_isa", KAA_TARGET_ISA);
  benchmark::AddCustomContext("kokkos_execution_space", Kokkos::DefaultExecutionSpace::name());
  benchmark::AddCustomContext("kokkos_concurrency",
                              std::to_string(Kokkos::DefaultExecutionSpace().concurrency()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
