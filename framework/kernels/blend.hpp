#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// Z <- b P + (1 - b) Z entrywise, in S.
template <class Space, class S>
void blend_toward(const Space& space, const Matrix<S>& Z, const Matrix<S>& P, S b) {
  const std::size_t d = Z.extent(1);
  require_extent(P, 0, Z.extent(0), "blend_toward", "P");
  require_extent(P, 1, d, "blend_toward", "P");
  Kokkos::parallel_for(
      "kaa::blended_projection.blend", Kokkos::RangePolicy<Space>(space, 0, Z.extent(0) * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t j = e / d, f = e % d;
        Z(j, f) = b * P(j, f) + (S(1) - b) * Z(j, f);
      });
}

}  // namespace kaa::kernels
