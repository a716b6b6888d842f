#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/launch.hpp"
#include "framework/kernels/simplex.hpp"
#include "framework/types.hpp"

// Entry points of the simplex_clamp and column_simplex_clamp projectors (archetypax's weight
// projection, row by row or column by column).
namespace kaa::kernels {

/// Every row of W: w <- max(eps, w) / max(eps, sum(max(eps, w))).
template <class Space, class S>
void simplex_clamp_rows(const Space& space, const Matrix<S>& W, S eps) {
  launch_for(
      space, "kaa::simplex_clamp", W.extent(0), W.size(),
      KOKKOS_LAMBDA(const std::size_t i) { clamp_renormalize_row(W, i, eps); });
}

/// Every column of W: the same along columns (Biarchetypal's column weights).
template <class Space, class S>
void simplex_clamp_columns(const Space& space, const Matrix<S>& W, S eps) {
  Kokkos::parallel_for(
      "kaa::column_simplex_clamp", Kokkos::RangePolicy<Space>(space, 0, W.extent(1)),
      KOKKOS_LAMBDA(const std::size_t c) { clamp_renormalize_column(W, c, eps); });
}

}  // namespace kaa::kernels
