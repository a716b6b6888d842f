#include "strategies/metrics/hull_distance.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "framework/host_transfer.hpp"

namespace kaa::strategies {

namespace {

using DView = Kokkos::View<double*, MemSpace>;

/// Euclidean projection onto the simplex by sorting (Held, Wolfe & Crowder 1974).
void project_simplex(std::vector<double>& v) {
  std::vector<double> u(v);
  std::sort(u.begin(), u.end(), std::greater<double>());
  double cumulative = 0, theta = 0;
  for (std::size_t j = 0; j < u.size(); ++j) {
    cumulative += u[j];
    const double t = (cumulative - 1.0) / static_cast<double>(j + 1);
    if (u[j] - t > 0) theta = t;
  }
  for (double& x : v) x = std::max(0.0, x - theta);
}

/// r = X^T w - z (d) and g = X r (n): the residual and the gradient of 0.5 ||X^T w - z||^2.
template <class S>
void residual_and_gradient(const Matrix<S>& X, const DView& w, const DView& z, const DView& r,
                           const DView& g) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  Kokkos::parallel_for(
      "kaa::hull_distance.residual", Kokkos::RangePolicy<ExecSpace>(0, d),
      KOKKOS_LAMBDA(const std::size_t f) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += w(i) * X(i, f);
        r(f) = s - z(f);
      });
  Kokkos::parallel_for(
      "kaa::hull_distance.gradient", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) s += X(i, f) * r(f);
        g(i) = s;
      });
}

}  // namespace

template <class S>
Schema HullDistance<S>::schema() {
  Schema s;
  s.integer("max_iter", 5000).min(1).doc("iteration limit of each archetype's QP");
  s.number("tol", 1e-10)
      .positive()
      .doc(
          "stop when the duality gap is below tol x (squared norm of the centred archetype + "
          "1e-300)");
  return s;
}

template <class S>
HullDistance<S>::HullDistance(const nlohmann::json& p)
    : max_iter_(p.at("max_iter").get<int>()), tol_(p.at("tol").get<double>()) {}

template <class S>
void HullDistance<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  const Matrix<S>& X = in.X;
  const std::size_t n = X.extent(0), d = X.extent(1);
  const HostMatrix Z = to_host(in.params.archetypes);
  DView w("w", n), y("y", n), g("g", n), r("r", d), z("z", d);
  auto w_host = Kokkos::create_mirror_view(w);
  auto g_host = Kokkos::create_mirror_view(g);
  auto r_host = Kokkos::create_mirror_view(r);
  auto z_host = Kokkos::create_mirror_view(z);

  // Lipschitz constant of the gradient: the largest eigenvalue of X X^T, by power iteration on
  // X^T X (d x d), with a 10 % margin (power iteration approaches it from below).
  double L = 0;
  {
    Kokkos::deep_copy(w, 1.0 / std::sqrt(static_cast<double>(n)));
    Kokkos::deep_copy(z, 0.0);
    for (int it = 0; it < 50; ++it) {
      residual_and_gradient(X, w, z, r, g);  // g = X X^T w
      Kokkos::deep_copy(g_host, g);
      double norm = 0;
      for (std::size_t i = 0; i < n; ++i) norm += g_host(i) * g_host(i);
      norm = std::sqrt(norm);
      if (norm == 0) break;
      L = norm;
      for (std::size_t i = 0; i < n; ++i) w_host(i) = g_host(i) / norm;
      Kokkos::deep_copy(w, w_host);
    }
    L = std::max(L * 1.1, 1e-300);
  }

  std::vector<double> distances, gaps;
  for (std::size_t a = 0; a < Z.rows; ++a) {
    for (std::size_t f = 0; f < d; ++f) z_host(f) = Z(a, f);
    Kokkos::deep_copy(z, z_host);
    std::vector<double> wv(n, 1.0 / static_cast<double>(n)), yv = wv, prev = wv;
    double t = 1, gap = 0, f_val = 0;
    double scale = 0;
    for (std::size_t f = 0; f < d; ++f) scale += Z(a, f) * Z(a, f);
    for (int it = 0; it < max_iter_; ++it) {
      // Certificate at the current iterate: gap = w.g - min g >= f(w) - f*.
      for (std::size_t i = 0; i < n; ++i) w_host(i) = wv[i];
      Kokkos::deep_copy(w, w_host);
      residual_and_gradient(X, w, z, r, g);
      Kokkos::deep_copy(g_host, g);
      Kokkos::deep_copy(r_host, r);
      double wg = 0, gmin = 1e300;
      for (std::size_t i = 0; i < n; ++i) {
        wg += wv[i] * g_host(i);
        gmin = std::min(gmin, g_host(i));
      }
      gap = wg - gmin;
      f_val = 0;
      for (std::size_t f = 0; f < d; ++f) f_val += 0.5 * r_host(f) * r_host(f);
      if (gap <= tol_ * (scale + 1e-300)) break;
      // FISTA step from the extrapolated point y.
      for (std::size_t i = 0; i < n; ++i) w_host(i) = yv[i];
      Kokkos::deep_copy(w, w_host);
      residual_and_gradient(X, w, z, r, g);
      Kokkos::deep_copy(g_host, g);
      prev = wv;
      for (std::size_t i = 0; i < n; ++i) wv[i] = yv[i] - g_host(i) / L;
      project_simplex(wv);
      const double t_next = 0.5 * (1 + std::sqrt(1 + 4 * t * t));
      for (std::size_t i = 0; i < n; ++i) yv[i] = wv[i] + (t - 1) / t_next * (wv[i] - prev[i]);
      t = t_next;
    }
    distances.push_back(std::sqrt(2 * f_val));
    gaps.push_back(gap);
  }
  double mean = 0, mx = 0, worst_gap = 0;
  for (std::size_t a = 0; a < distances.size(); ++a) {
    mean += distances[a] / static_cast<double>(distances.size());
    mx = std::max(mx, distances[a]);
    worst_gap = std::max(worst_gap, gaps[a]);
  }
  out["hull_distance"] = {
      {"mean", mean}, {"max", mx}, {"per_archetype", distances}, {"max_duality_gap", worst_gap}};
}

template class HullDistance<float>;
template class HullDistance<double>;

}  // namespace kaa::strategies
