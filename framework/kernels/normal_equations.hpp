#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// out = [W^T W (k x k, row-major) | W^T X (k x d, row-major)] in double, for W n x k and X n x d:
/// one sequential sum over the rows per entry (the same bits for any thread count).
template <class Space, class S>
void normal_equations(const Space& space, const Matrix<S>& W, const Matrix<S>& X,
                      const Vector<double>& out) {
  const std::size_t n = W.extent(0), k = W.extent(1), d = X.extent(1);
  require_extent(X, 0, n, "normal_equations", "X");
  require_extent(out, 0, k * k + k * d, "normal_equations", "out");
  Kokkos::parallel_for(
      "kaa::direct_update.normal", Kokkos::RangePolicy<Space>(space, 0, k * k + k * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        double s = 0;
        if (e < k * k) {
          const std::size_t a = e / k, b = e % k;
          for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(W(i, a)) * W(i, b);
        } else {
          const std::size_t j = (e - k * k) / d, f = (e - k * k) % d;
          for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(W(i, j)) * X(i, f);
        }
        out(e) = s;
      });
}

}  // namespace kaa::kernels
