#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/types.hpp"

// Kernels of the Frank-Wolfe hull-distance solver (framework/analysis/hull_distance.cpp), which
// drives them from the host.
namespace kaa::kernels::hull {

using Work = Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>;
using Index = Kokkos::View<std::size_t*, MemSpace>;

/// G(i, j) = <x_i, V_j>_c, or ||x_i - V_j||_c^2 when `squared_distance`.
template <class Space, class S>
void row_products(const Space& space, const Matrix<S>& X, const Work& V, const Vector<double>& c,
                  const Work& G, bool squared_distance) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = V.extent(0);
  const bool weighted = c.data() != nullptr;
  Kokkos::parallel_for(
      "kaa::hull.row_products", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          double s = 0;
          for (std::size_t f = 0; f < d; ++f) {
            const double x = static_cast<double>(X(i, f));
            const double term = squared_distance ? (x - V(j, f)) * (x - V(j, f)) : x * V(j, f);
            s += (weighted ? c(f) : 1.0) * term;
          }
          G(i, j) = s;
        }
      });
}

/// P = W^T X (k x d): the current hull points, recomputed exactly.
template <class Space, class S>
void hull_points(const Space& space, const Matrix<S>& X, const Work& W, const Work& P) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = W.extent(1);
  Kokkos::parallel_for(
      "kaa::hull.points", Kokkos::RangePolicy<Space>(space, 0, k * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t j = e / d, f = e % d;
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += W(i, j) * static_cast<double>(X(i, f));
        P(j, f) = s;
      });
}

/// Smallest G(i, j) over i, or largest over the i with W(i, j) > 0 (the away vertex).
struct Extreme {
  double value;
  std::size_t index;
};

template <class Space>
Extreme smallest(const Space& space, const Work& G, std::size_t j) {
  using Reducer = Kokkos::MinLoc<double, std::size_t>;
  typename Reducer::value_type best;
  Kokkos::parallel_reduce(
      "kaa::hull.toward", Kokkos::RangePolicy<Space>(space, 0, G.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i, typename Reducer::value_type& acc) {
        if (G(i, j) < acc.val) {
          acc.val = G(i, j);
          acc.loc = i;
        }
      },
      Reducer(best));
  return {best.val, best.loc};
}
template <class Space>
Extreme largest_active(const Space& space, const Work& G, const Work& W, std::size_t j) {
  using Reducer = Kokkos::MaxLoc<double, std::size_t>;
  typename Reducer::value_type best;
  Kokkos::parallel_reduce(
      "kaa::hull.away", Kokkos::RangePolicy<Space>(space, 0, G.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i, typename Reducer::value_type& acc) {
        if (W(i, j) > 0 && G(i, j) > acc.val) {
          acc.val = G(i, j);
          acc.loc = i;
        }
      },
      Reducer(best));
  return {best.val, best.loc};
}

/// W(wanted(j), j) = 1 for every point j < k: start each at a vertex of the simplex.
template <class Space>
void set_start_vertices(const Space& space, const Work& W, const Index& wanted) {
  require(wanted.extent(0) >= W.extent(1), "kaa::kernels::hull::set_start_vertices",
          "wanted has fewer entries than W has columns");
  Kokkos::parallel_for(
      "kaa::hull.start", Kokkos::RangePolicy<Space>(space, 0, W.extent(1)),
      KOKKOS_LAMBDA(const std::size_t j) { W(wanted(j), j) = 1.0; });
}

/// rows(r, :) = X(wanted(r), :) for the 2k toward/away vertices, and weight_at(j) = the weight
/// point j puts on its away vertex.
template <class Space, class S>
void gather_vertices(const Space& space, const Matrix<S>& X, const Work& W, const Index& wanted,
                     const Work& rows, const Vector<double>& weight_at) {
  const std::size_t d = X.extent(1), k = W.extent(1);
  const char* entry = "kaa::kernels::hull::gather_vertices";
  require_extent(wanted, 0, 2 * k, entry, "wanted");
  require_extent(rows, 0, 2 * k, entry, "rows");
  require_extent(weight_at, 0, k, entry, "weight_at");
  Kokkos::parallel_for(
      "kaa::hull.gather", Kokkos::RangePolicy<Space>(space, 0, 2 * k * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t row = e / d, f = e % d;
        rows(row, f) = static_cast<double>(X(wanted(row), f));
        if (f == 0 && row % 2 == 1) weight_at(row / 2) = W(wanted(row), row / 2);
      });
}

/// One Frank-Wolfe step per point j: W(:, j) *= step(j, 0), then the changed vertex step(j, 1)
/// gets step(j, 2) added (or is set to zero when step(j, 3) > 0, a full away step).
template <class Space>
void apply_steps(const Space& space, const Work& W, const Work& step) {
  const std::size_t k = W.extent(1);
  require_extent(step, 0, k, "kaa::kernels::hull::apply_steps", "step");
  Kokkos::parallel_for(
      "kaa::hull.update", Kokkos::RangePolicy<Space>(space, 0, W.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          W(i, j) *= step(j, 0);
          if (i == static_cast<std::size_t>(step(j, 1)))
            W(i, j) = step(j, 3) > 0 ? 0.0 : W(i, j) + step(j, 2);
        }
      });
}

}  // namespace kaa::kernels::hull
