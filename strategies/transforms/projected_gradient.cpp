#include "strategies/transforms/projected_gradient.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "framework/kernels/math.hpp"
#include "framework/kernels/row_tiles.hpp"
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
  const std::size_t n = X.extent(0), d = X.extent(1), k = archetypes.extent(0);
  const std::size_t dp = kernels::padded(d);
  const kernels::Work zp = kernels::padded_rows(archetypes);
  kernels::Work G("kaa::pg.gram", k, k);
  Kokkos::parallel_for(
      "kaa::pg.gram", Kokkos::RangePolicy<ExecSpace>(0, k * k), KOKKOS_LAMBDA(const std::size_t e) {
        G(e / k, e % k) = kernels::dot_padded(&zp(e / k, 0), &zp(e % k, 0), dp);
      });
  auto G_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), G);
  std::vector<double> g(G_host.data(), G_host.data() + k * k);
  const double lipschitz = 2.0 * eigenvalue_bound(g, k);
  const double step = lipschitz > 0 ? 1.0 / lipschitz : 0.0;

  // One kernel over all rows: each row forms its x.z_j and runs its own solve in a per-thread
  // scratch row (the row as double, x Z^T, w, w_prev, y, probe), so nothing of size n x k is
  // allocated besides the result.
  Kokkos::Experimental::UniqueToken<ExecSpace> token;
  const std::size_t c_at = dp, w_at = c_at + k, wp_at = w_at + k, y_at = wp_at + k,
                    probe_at = y_at + k;
  kernels::Work scratch("kaa::pg.scratch", token.size(), probe_at + k);
  const Matrix<S> W = weights;
  const double tol = tol_;
  const long max_iter = max_iter_;
  Kokkos::parallel_for(
      "kaa::projected_gradient", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        const int id = token.acquire();
        double* xd = &scratch(id, 0);
        double* C = xd + c_at;
        double* w = xd + w_at;
        double* w_prev = xd + wp_at;
        double* y = xd + y_at;
        double* probe = xd + probe_at;
        for (std::size_t f = 0; f < d; ++f) xd[f] = static_cast<double>(X(i, f));
        for (std::size_t j = 0; j < k; ++j) C[j] = kernels::dot_padded(xd, &zp(j, 0), dp);
        // out <- P(from - step * grad f(from)), grad f(v) = 2 (v G - x Z^T)
        auto gradient_step = [&](const double* from, double* out) {
          for (std::size_t a = 0; a < k; ++a) {
            double s = -C[a];
            for (std::size_t b = 0; b < k; ++b) s += from[b] * G(b, a);
            out[a] = from[a] - step * 2.0 * s;
          }
          kernels::euclidean_simplex(out, k);
        };
        for (std::size_t j = 0; j < k; ++j) w[j] = y[j] = 1.0 / k;
        double t = 1.0;
        for (long it = 0; it < max_iter && step > 0; ++it) {
          for (std::size_t a = 0; a < k; ++a) w_prev[a] = w[a];
          gradient_step(y, w);
          const double t_next = 0.5 * (1.0 + kernels::sqrt(1.0 + 4.0 * t * t));
          for (std::size_t a = 0; a < k; ++a) y[a] = w[a] + (t - 1.0) / t_next * (w[a] - w_prev[a]);
          t = t_next;
          // Optimality test at w itself (a plain projected-gradient step barely moves it); the
          // change between accelerated iterates can vanish away from the optimum.
          gradient_step(w, probe);
          double residual = 0;
          for (std::size_t a = 0; a < k; ++a) {
            const double r = kernels::fabs(probe[a] - w[a]);
            residual = r > residual ? r : residual;
          }
          if (residual <= tol) {
            for (std::size_t a = 0; a < k; ++a) w[a] = probe[a];
            break;
          }
        }
        for (std::size_t j = 0; j < k; ++j) W(i, j) = static_cast<S>(w[j]);
        token.release(id);
      });
}

template class ProjectedGradient<float>;
template class ProjectedGradient<double>;

}  // namespace kaa::strategies
