#include "strategies/transforms/projected_gradient.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/transform_pgd.hpp"

namespace kaa::strategies {

namespace {

/// An upper bound of the largest eigenvalue of a symmetric positive semi-definite matrix: the
/// smaller of its trace and its largest absolute row sum (Gershgorin). Power iteration is not safe
/// here: it misses the top eigenvalue when its eigenvector is orthogonal to the start vector (e.g.
/// two archetypes that are negatives of each other), and a step from too small a bound diverges.
double eigenvalue_bound(const std::vector<double>& G, std::size_t k) {
  double trace = 0, row_max = 0;
  for (std::size_t a = 0; a < k; ++a) {
    trace += G[a * k + a];
    double row = 0;
    for (std::size_t b = 0; b < k; ++b) row += std::abs(G[a * k + b]);
    row_max = std::max(row_max, row);
  }
  return std::min(trace, row_max);
}

}  // namespace

template <class S>
auto ProjectedGradient<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("tol", &Params::tol)
      .positive()
      .doc("a row stops when a projected-gradient step from it moves no weight by more than tol");
  s.integer("max_iter", &Params::max_iter).min(1).doc("iteration cap per row");
  return s;
}

template <class S>
ProjectedGradient<S>::ProjectedGradient(const Params& p) : config_(p) {}

template <class S>
void ProjectedGradient<S>::solve(const Matrix<S>& X, const Matrix<S>& archetypes,
                                 Matrix<S>& weights) {
  const std::size_t k = archetypes.extent(0);
  const kernels::Work zp = kernels::padded_rows(archetypes);
  kernels::Work G("kaa::pg.gram", k, k);
  kernels::padded_gram(ExecSpace(), zp, G, "kaa::pg.gram");
  auto G_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), G);
  std::vector<double> g(G_host.data(), G_host.data() + k * k);
  const double lipschitz = 2.0 * eigenvalue_bound(g, k);
  const double step = lipschitz > 0 ? 1.0 / lipschitz : 0.0;
  kernels::projected_gradient_weights(ExecSpace(), X, zp, G, step, config_.tol, config_.max_iter,
                                      weights);
}

template class ProjectedGradient<float>;
template class ProjectedGradient<double>;

}  // namespace kaa::strategies
