// Kokkos first, then Google Benchmark, with the build's provenance in the output context.
#include <benchmark/benchmark.h>

#include <Kokkos_Core.hpp>

#include "framework/kokkos_session.hpp"
#include "kaa_version.hpp"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  kaa::KokkosSession kokkos(0);
  benchmark::AddCustomContext("kaa_version", KAA_VERSION);
  benchmark::AddCustomContext("kaa_git_commit", KAA_GIT_COMMIT);
  benchmark::AddCustomContext("kokkos_execution_space", Kokkos::DefaultExecutionSpace::name());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
