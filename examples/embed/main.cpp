// Embedding kaa: fit a config (its data section is ignored) on an array in memory.
#include <cstdio>
#include <vector>

#include "framework/api.hpp"
#include "framework/kokkos_session.hpp"

int main(int argc, char** argv) {
  if (argc != 2) return std::fprintf(stderr, "usage: embed CONFIG.json\n"), 2;
  kaa::KokkosSession kokkos(1);
  std::vector<double> x(300 * 10);
  for (std::size_t e = 0; e < x.size(); ++e) x[e] = static_cast<double>((e * 7919) % 101) / 101;
  const auto config = kaa::load_config(argv[1], {}, std::nullopt, kaa::default_registry());
  const kaa::Result r = kaa::fit(config, kaa::MatrixRef{x.data(), 300, 10});
  std::printf("%zu x %zu archetypes, final loss %.6g\n", r.archetypes.rows, r.archetypes.cols,
              r.metrics.value("final_loss", 0.0));
  return r.ok ? 0 : 1;
}
