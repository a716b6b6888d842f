#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/simplex.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// Every row of W onto the probability simplex, exactly in the Euclidean norm (Michelot/Condat,
/// see euclidean_simplex in simplex.hpp).
template <class Space, class S>
void simplex_euclidean_rows(const Space& space, const Matrix<S>& W) {
  Kokkos::parallel_for(
      "kaa::simplex_euclidean", Kokkos::RangePolicy<Space>(space, 0, W.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) { euclidean_simplex_row(W, i); });
}

}  // namespace kaa::kernels
