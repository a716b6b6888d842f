#include "framework/analysis/hull_distance.hpp"

#include <algorithm>
#include <cmath>

#include "framework/host_transfer.hpp"
#include "framework/kernels/hull_frank_wolfe.hpp"

namespace kaa::analysis {

// Frank-Wolfe with away steps on f(w) = ||w X - z||_c^2 over the n-simplex (Wolfe 1970; Guelat &
// Marcotte 1986; linear convergence on polytopes: Lacoste-Julien & Jaggi, NeurIPS 2015). The
// iterate stays sparse, each iteration needs only grad f = 2 X C (p - z) with p = w X, and the
// Frank-Wolfe gap g = <grad f, w - e_s> >= f(w) - f* certifies the distance:
// sqrt(max(0, f - g)) <= dist <= sqrt(f). Steps are exact line searches of the quadratic.

template <class S>
HullDistances hull_distances(const Matrix<S>& X, const Matrix<S>& points,
                             const Vector<double>& feature_weight, double tolerance,
                             std::size_t max_iter) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = points.extent(0);
  const ExecSpace space;
  using kernels::hull::Index;
  using kernels::hull::Work;
  const HostMatrix Z = to_host(points);
  std::vector<double> c(d, 1.0);
  if (feature_weight.data() != nullptr) {
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), feature_weight);
    for (std::size_t f = 0; f < d; ++f) c[f] = host(f);
  }
  auto dot = [&](const double* u, const double* v) {
    double s = 0;
    for (std::size_t f = 0; f < d; ++f) s += c[f] * u[f] * v[f];
    return s;
  };

  Work W("kaa::hull.W", n, k), G("kaa::hull.G", n, k), V("kaa::hull.V", k, d),
      P("kaa::hull.P", k, d), rows("kaa::hull.rows", 2 * k, d);
  auto V_host = Kokkos::create_mirror_view(V);
  auto P_host = Kokkos::create_mirror_view(P);
  auto rows_host = Kokkos::create_mirror_view(rows);
  Index wanted("kaa::hull.wanted", 2 * k);
  auto wanted_host = Kokkos::create_mirror_view(wanted);
  // Per point: scale of all weights, index of the changed weight, amount added to it, and 1 when
  // a full away step drops it (set to exactly zero rather than a rounding residue).
  Work step("kaa::hull.step", k, 4);
  auto step_host = Kokkos::create_mirror_view(step);
  Kokkos::View<double*, MemSpace> weight_at("kaa::hull.weight_at", k);
  auto weight_at_host = Kokkos::create_mirror_view(weight_at);

  // Start at the nearest data row: a vertex of the simplex, and already exact when z is a row.
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t f = 0; f < d; ++f) V_host(j, f) = Z(j, f);
  Kokkos::deep_copy(V, V_host);
  kernels::hull::row_products(space, X, V, feature_weight, G, true);
  for (std::size_t j = 0; j < k; ++j) wanted_host(j) = kernels::hull::smallest(space, G, j).index;
  Kokkos::deep_copy(wanted, wanted_host);
  kernels::hull::set_start_vertices(space, W, wanted);

  HullDistances out;
  out.iterations.assign(k, 0);
  out.distance.assign(k, 0.0);
  out.lower_bound.assign(k, 0.0);
  out.gap.assign(k, 0.0);
  std::vector<char> done(k, 0);
  std::vector<double> r(d), dp(d);
  // The hull points are updated on the host between exact recomputations, which bound the
  // rounding drift of the incremental updates.
  constexpr std::size_t refresh_every = 32;

  for (std::size_t it = 0;; ++it) {
    const bool last =
        it == max_iter || std::all_of(done.begin(), done.end(), [](char x) { return x != 0; });
    if (it % refresh_every == 0 || last) {
      kernels::hull::hull_points(space, X, W, P);
      Kokkos::deep_copy(P_host, P);
    }
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f) V_host(j, f) = P_host(j, f) - Z(j, f);
    Kokkos::deep_copy(V, V_host);
    kernels::hull::row_products(space, X, V, feature_weight, G, false);

    // Toward and away vertices of every point still running (all points on the last pass).
    std::vector<kernels::hull::Extreme> toward(k), away(k);
    for (std::size_t j = 0; j < k; ++j) {
      if (done[j] && !last) continue;
      toward[j] = kernels::hull::smallest(space, G, j);
      wanted_host(2 * j) = toward[j].index;
      if (!last) {
        away[j] = kernels::hull::largest_active(space, G, W, j);
        wanted_host(2 * j + 1) = away[j].index;
      } else {
        wanted_host(2 * j + 1) = toward[j].index;
      }
    }
    Kokkos::deep_copy(wanted, wanted_host);
    kernels::hull::gather_vertices(space, X, W, wanted, rows, weight_at);
    Kokkos::deep_copy(rows_host, rows);
    Kokkos::deep_copy(weight_at_host, weight_at);

    for (std::size_t j = 0; j < k; ++j) {
      step_host(j, 0) = 1.0;
      step_host(j, 1) = 0.0;
      step_host(j, 2) = 0.0;
      step_host(j, 3) = 0.0;
      if (done[j] && !last) continue;
      const double* p = &P_host(j, 0);
      for (std::size_t f = 0; f < d; ++f) r[f] = p[f] - Z(j, f);
      const double f_value = dot(r.data(), r.data());
      const double p_dot_r = dot(p, r.data());
      // With G = X C (p - z): <grad f, w> = 2 <p, r>_c and the toward vertex's entry is 2 G_s.
      const double gap = std::max(0.0, 2.0 * (p_dot_r - toward[j].value));
      const double upper = std::sqrt(f_value);
      const double lower = std::sqrt(std::max(0.0, f_value - gap));
      out.distance[j] = upper;
      out.lower_bound[j] = lower;
      out.gap[j] = gap;
      if (upper - lower <= tolerance) done[j] = 1;
      if (done[j] || last) continue;

      const double away_gap = 2.0 * (away[j].value - p_dot_r);
      const double w_away = weight_at_host(j);
      const bool toward_step = gap >= away_gap || w_away >= 1.0;
      const double* x = &rows_host(toward_step ? 2 * j : 2 * j + 1, 0);
      for (std::size_t f = 0; f < d; ++f) dp[f] = toward_step ? x[f] - p[f] : p[f] - x[f];
      const double max_step = toward_step ? 1.0 : w_away / (1.0 - w_away);
      const double curvature = dot(dp.data(), dp.data());
      if (!(curvature > 0)) {  // p is the vertex itself: nothing left to move
        done[j] = 1;
        continue;
      }
      const double gamma = std::clamp(-dot(r.data(), dp.data()) / curvature, 0.0, max_step);
      for (std::size_t f = 0; f < d; ++f) P_host(j, f) += gamma * dp[f];
      ++out.iterations[j];
      step_host(j, 0) = toward_step ? 1.0 - gamma : 1.0 + gamma;
      step_host(j, 1) = static_cast<double>(toward_step ? toward[j].index : away[j].index);
      step_host(j, 2) = toward_step ? gamma : -gamma;
      step_host(j, 3) = !toward_step && gamma >= max_step ? 1.0 : 0.0;
    }
    if (last) break;
    Kokkos::deep_copy(step, step_host);
    kernels::hull::apply_steps(space, W, step);
  }
  out.converged = true;
  for (std::size_t j = 0; j < k; ++j)
    out.converged = out.converged && out.distance[j] - out.lower_bound[j] <= tolerance;
  return out;
}

template HullDistances hull_distances<float>(const Matrix<float>&, const Matrix<float>&,
                                             const Vector<double>&, double, std::size_t);
template HullDistances hull_distances<double>(const Matrix<double>&, const Matrix<double>&,
                                              const Vector<double>&, double, std::size_t);

}  // namespace kaa::analysis
