#include "strategies/transforms/projected_gradient.hpp"

#include <cmath>
#include <vector>

#include "framework/kernels/gram.hpp"
#include "framework/kernels/math.hpp"
#include "framework/kernels/simplex.hpp"

namespace kaa::strategies {

namespace {

/// Largest eigenvalue of a small symmetric positive semi-definite matrix, by power iteration.
double largest_eigenvalue(const std::vector<double>& G, std::size_t k) {
  std::vector<double> v(k, 1.0 / std::sqrt(static_cast<double>(k))), next(k);
  double lambda = 0;
  for (int it = 0; it < 500; ++it) {
    for (std::size_t a = 0; a < k; ++a) {
      next[a] = 0;
      for (std::size_t b = 0; b < k; ++b) next[a] += G[a * k + b] * v[b];
    }
    double norm = 0;
    for (double x : next) norm += x * x;
    norm = std::sqrt(norm);
    if (norm == 0) return 0;
    for (std::size_t a = 0; a < k; ++a) v[a] = next[a] / norm;
    if (std::abs(norm - lambda) <= 1e-12 * norm) return norm;
    lambda = norm;
  }
  return lambda;
}

}  // namespace

template <class S>
Schema ProjectedGradient<S>::schema() {
  Schema s;
  s.number("tol", 1e-10).positive().doc("a row stops when no weight changes by more than tol");
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
  const double lipschitz = 2.0 * largest_eigenvalue(g, k);
  const double step = lipschitz > 0 ? 1.0 / lipschitz : 0.0;

  using Work = Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>;
  Work w("kaa::pg.w", n, k), w_prev("kaa::pg.w_prev", n, k), y("kaa::pg.y", n, k);
  const Matrix<S> W = weights;
  const double tol = tol_;
  const long max_iter = max_iter_;
  Kokkos::parallel_for(
      "kaa::projected_gradient", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) w(i, j) = y(i, j) = 1.0 / k;
        double t = 1.0;
        for (long it = 0; it < max_iter && step > 0; ++it) {
          for (std::size_t a = 0; a < k; ++a) w_prev(i, a) = w(i, a);
          for (std::size_t a = 0; a < k; ++a) {
            double s = -C(i, a);
            for (std::size_t b = 0; b < k; ++b) s += y(i, b) * G(b, a);
            w(i, a) = y(i, a) - step * 2.0 * s;
          }
          kernels::euclidean_simplex_row(w, i);
          const double t_next = 0.5 * (1.0 + kernels::sqrt(1.0 + 4.0 * t * t));
          double change = 0;
          for (std::size_t a = 0; a < k; ++a) {
            const double delta = w(i, a) - w_prev(i, a);
            change = kernels::fabs(delta) > change ? kernels::fabs(delta) : change;
            y(i, a) = w(i, a) + (t - 1.0) / t_next * delta;
          }
          t = t_next;
          if (change <= tol) break;
        }
        for (std::size_t j = 0; j < k; ++j) W(i, j) = static_cast<S>(w(i, j));
      });
}

template class ProjectedGradient<float>;
template class ProjectedGradient<double>;

}  // namespace kaa::strategies
