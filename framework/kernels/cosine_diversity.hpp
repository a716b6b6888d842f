#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// grad(i, f) += sum_j M(i, j) Z(j, f) (M k x k in double, Z and grad k x d): a mixing of the
/// rows of Z added to a gradient (the cosine diversity term's gradient).
template <class Space, class S>
void add_mixed_rows(const Space& space,
                    const Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>& M,
                    const Matrix<S>& Z, const Matrix<S>& grad) {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  const char* entry = "add_mixed_rows";
  require_extent(M, 0, k, entry, "M");
  require_extent(M, 1, k, entry, "M");
  require_extent(grad, 0, k, entry, "grad");
  require_extent(grad, 1, d, entry, "grad");
  Kokkos::parallel_for(
      "kaa::cosine_diversity.grad", Kokkos::RangePolicy<Space>(space, 0, k * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t i = e / d, f = e % d;
        double s = 0;
        for (std::size_t j = 0; j < k; ++j) s += M(i, j) * static_cast<double>(Z(j, f));
        grad(i, f) += static_cast<S>(s);
      });
}

}  // namespace kaa::kernels
