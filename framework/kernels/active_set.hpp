#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// w(i) = v_i / max(sqrt(norms2(i)), delta) (v = row_weight, sample weights; 1 when empty): the
/// IRLS weights of the Huber loss on the row residual norms (the active_set optimizer's robust
/// B-step).
template <class Space>
void active_set_irls_weights(const Space& space, const Vector<double>& norms2, double delta,
                             const Vector<double>& w,
                             const Vector<double>& row_weight = Vector<double>()) {
  require_extent(w, 0, norms2.extent(0), "active_set_irls_weights", "w");
  const bool weighted = row_weight.data() != nullptr;
  if (weighted) require_extent(row_weight, 0, w.extent(0), "active_set_irls_weights", "row_weight");
  const Vector<double> v = row_weight;
  Kokkos::parallel_for(
      "kaa::active_set.irls", Kokkos::RangePolicy<Space>(space, 0, w.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        const double t = kernels::sqrt(norms2(i));
        w(i) = (weighted ? v(i) : 1.0) / (t > delta ? t : delta);
      });
}

/// values(i) <- `value` for every row whose `allowed` entry is not positive (sample weight zero),
/// so that a search over the rows passes them over.
template <class Space>
void mask_rows(const Space& space, const Vector<double>& values, const Vector<double>& allowed,
               double value) {
  require_extent(allowed, 0, values.extent(0), "mask_rows", "allowed");
  Kokkos::parallel_for(
      "kaa::mask_rows", Kokkos::RangePolicy<Space>(space, 0, values.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        if (!(allowed(i) > 0)) values(i) = value;
      });
}

}  // namespace kaa::kernels
