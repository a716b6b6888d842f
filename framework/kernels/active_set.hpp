#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// w(i) = 1 / max(sqrt(norms2(i)), delta): the IRLS weights of the Huber loss on the row residual
/// norms (the active_set optimizer's robust B-step).
template <class Space>
void active_set_irls_weights(const Space& space, const Vector<double>& norms2, double delta,
                             const Vector<double>& w) {
  require_extent(w, 0, norms2.extent(0), "active_set_irls_weights", "w");
  Kokkos::parallel_for(
      "kaa::active_set.irls", Kokkos::RangePolicy<Space>(space, 0, w.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        const double t = kernels::sqrt(norms2(i));
        w(i) = 1.0 / (t > delta ? t : delta);
      });
}

}  // namespace kaa::kernels
