#include "strategies/transforms/projected_gradient.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "framework/kernels/gram.hpp"
#include "framework/kernels/math.hpp"
#include "framework/kernels/simplex.hpp"

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
Schema ProjectedGradient<S>::schema() {
  Schema s;
  s.number("tol", 1e-10)
      .positive()
      .doc("a row stops when a projected-gradient step from it moves no weight by more than tol");
  s.integer("max_iter", 10000).min(1).doc("iteration cap per row");
  return s;
}

template <class S>
ProjectedGradient<S>::ProjectedGradient(const nlohmann::json& p)
    : tol_(p.at("tol").get<double>()), max_iter_(p.at("max_iter").get<long>()) {}

template <class S>
void ProjectedGradient<S>::solve(const Matrix<S>& X, const Matrix<S>& archetypes,
                                 Matrix<S>& weights) {
  const std::size_t n = X.extent(0), k = archetypes.extent(0);
  const auto G = kernels::archetype_gram(archetypes);
  const auto C = kernels::data_archetype_products(X, archetypes);
  auto G_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), G);
  std::vector<double> g(G_host.data(), G_host.data() + k * k);
  const double lipschitz = 2.0 * eigenvalue_bound(g, k);
  const double step = lipschitz > 0 ? 1.0 / lipschitz : 0.0;

  using Work = Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>;
  Work w("kaa::pg.w", n, k), w_prev("kaa::pg.w_prev", n, k), y("kaa::pg.y", n, k),
      probe("kaa::pg.probe", n, k);
  const Matrix<S> W = weights;
  const double tol = tol_;
  const long max_iter = max_iter_;
  Kokkos::parallel_for(
      "kaa::projected_gradient", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        // out <- P(from - step * grad f(from)), grad f(v) = 2 (v G - x Z^T)
        auto gradient_step = [&](const Work& from, const Work& out) {
          for (std::size_t a = 0; a < k; ++a) {
            double s = -C(i, a);
            for (std::size_t b = 0; b < k; ++b) s += from(i, b) * G(b, a);
            out(i, a) = from(i, a) - step * 2.0 * s;
          }
          kernels::euclidean_simplex_row(out, i);
        };
        for (std::size_t j = 0; j < k; ++j) w(i, j) = y(i, j) = 1.0 / k;
        double t = 1.0;
        for (long it = 0; it < max_iter && step > 0; ++it) {
          for (std::size_t a = 0; a < k; ++a) w_prev(i, a) = w(i, a);
          gradient_step(y, w);
          const double t_next = 0.5 * (1.0 + kernels::sqrt(1.0 + 4.0 * t * t));
          for (std::size_t a = 0; a < k; ++a)
            y(i, a) = w(i, a) + (t - 1.0) / t_next * (w(i, a) - w_prev(i, a));
          t = t_next;
          // Optimality test at w itself (a plain projected-gradient step barely moves it); the
          // change between accelerated iterates can vanish away from the optimum.
          gradient_step(w, probe);
          double residual = 0;
          for (std::size_t a = 0; a < k; ++a) {
            const double r = kernels::fabs(probe(i, a) - w(i, a));
            residual = r > residual ? r : residual;
          }
          if (residual <= tol) {
            for (std::size_t a = 0; a < k; ++a) w(i, a) = probe(i, a);
            break;
          }
        }
        for (std::size_t j = 0; j < k; ++j) W(i, j) = static_cast<S>(w(i, j));
      });
}

template class ProjectedGradient<float>;
template class ProjectedGradient<double>;

}  // namespace kaa::strategies
