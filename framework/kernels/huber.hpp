#pragma once
#include <cstddef>
#include <optional>

#include <Kokkos_Core.hpp>
#include <Kokkos_ScatterView.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

// The Huber loss of the row residual norms (Chen, Mairal & Harchaoui, CVPR 2014):
// h(t) = t^2 / (2 delta) + delta / 2 for t <= delta, t otherwise.
namespace kaa::kernels {

/// Scratch of huber_gradient: the archetype gradient of one call and its ScatterView (built on
/// first use, not at construction, so a workspace can exist before Kokkos is initialised).
template <class S, class Space = ExecSpace>
struct HuberWorkspace {
  using Scatter = Kokkos::Experimental::ScatterView<S**, Kokkos::LayoutRight, Space>;
  Matrix<S> gz;
  std::optional<Scatter> gz_scatter;

  /// Sizes gz to k x d (zero-filled) and its ScatterView (reset to zero).
  void fit(const Space& space, std::size_t k, std::size_t d) {
    if (fit_extents(gz, "kaa::huber.gz", k, d) || !gz_scatter) {
      gz_scatter.emplace(space, gz);
    } else {
      Kokkos::deep_copy(space, gz, S(0));
      gz_scatter->reset(space);
    }
  }
};

/// sum_i v_i h(sqrt(norms2(i))): the Huber loss of residual norms given as squares, v_i =
/// row_weight(i) (sample weights) or 1 when that view is empty.
template <class Space>
double huber_sum(const Space& space, const Vector<double>& norms2, double delta,
                 const Vector<double>& row_weight = Vector<double>()) {
  require(delta > 0, "huber_sum", "delta must be positive");
  const bool weighted = row_weight.data() != nullptr;
  if (weighted) require_extent(row_weight, 0, norms2.extent(0), "huber_sum", "row_weight");
  const Vector<double> rw = row_weight;
  double total = 0;
  Kokkos::parallel_reduce(
      "kaa::huber.value", Kokkos::RangePolicy<Space>(space, 0, norms2.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        const double t = sqrt(norms2(i));
        const double h = t <= delta ? t * t / (2 * delta) + delta / 2 : t;
        acc += weighted ? rw(i) * h : h;
      },
      total);
  return total;
}

/// ADDS scale times the Huber loss' gradients into ga (n x k) and gz (k x d), each only when
/// non-empty: with r_i = x_i - a_i Z, t_i = sqrt(norms2(i)), c_i = v_i / max(t_i, delta),
///   ga_ij += -scale c_i r_i . z_j,   gz_jf += -scale sum_i c_i a_ij r_if,
/// v_i = row_weight(i) (sample weights) or 1 when that view is empty.
template <class Space, class S>
void huber_gradient(const Space& space, const Matrix<S>& X, const Matrix<S>& A, const Matrix<S>& Z,
                    const Vector<double>& norms2, double delta, double scale, const Matrix<S>& ga,
                    const Matrix<S>& gz, HuberWorkspace<S, Space>& ws,
                    const Vector<double>& row_weight = Vector<double>()) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = Z.extent(0);
  const char* entry = "huber_gradient";
  require_extent(A, 0, n, entry, "A");
  require_extent(A, 1, k, entry, "A");
  require_extent(Z, 1, d, entry, "Z");
  require_extent(norms2, 0, n, entry, "norms2");
  const bool want_ga = ga.data() != nullptr;
  const bool want_gz = gz.data() != nullptr;
  if (want_ga) {
    require_extent(ga, 0, n, entry, "ga");
    require_extent(ga, 1, k, entry, "ga");
  }
  if (want_gz) {
    require_extent(gz, 0, k, entry, "gz");
    require_extent(gz, 1, d, entry, "gz");
  }
  if (!want_ga && !want_gz) return;
  const bool weighted = row_weight.data() != nullptr;
  if (weighted) require_extent(row_weight, 0, n, entry, "row_weight");
  const Vector<double> rw = row_weight;
  ws.fit(space, k, d);
  const auto gz_scatter = *ws.gz_scatter;
  Kokkos::parallel_for(
      "kaa::huber.grad", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        auto gz_access = gz_scatter.access();
        const double t = sqrt(norms2(i));
        const double c = (weighted ? -scale * rw(i) : -scale) / (t > delta ? t : delta);
        for (std::size_t f = 0; f < d; ++f) {
          double r = static_cast<double>(X(i, f));
          for (std::size_t j = 0; j < k; ++j)
            r -= static_cast<double>(A(i, j)) * static_cast<double>(Z(j, f));
          const double cr = c * r;
          for (std::size_t j = 0; j < k; ++j) {
            if (want_ga) ga(i, j) += static_cast<S>(cr * static_cast<double>(Z(j, f)));
            if (want_gz) gz_access(j, f) += static_cast<S>(cr * static_cast<double>(A(i, j)));
          }
        }
      });
  if (want_gz) {
    const Matrix<S> gz_local = ws.gz;
    gz_scatter.contribute_into(space, gz_local);
    Kokkos::parallel_for(
        "kaa::huber.add_gz", Kokkos::RangePolicy<Space>(space, 0, k * d),
        KOKKOS_LAMBDA(const std::size_t e) { gz(e / d, e % d) += gz_local(e / d, e % d); });
  }
}

}  // namespace kaa::kernels
