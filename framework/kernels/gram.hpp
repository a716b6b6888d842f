#pragma once
#include <Kokkos_Core.hpp>

#include "framework/types.hpp"

namespace kaa::kernels {

/// G = Z Z^T (k x k) in double.
template <class S>
Kokkos::View<double**, Kokkos::LayoutRight, MemSpace> archetype_gram(const Matrix<S>& Z) {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  Kokkos::View<double**, Kokkos::LayoutRight, MemSpace> G("kaa::gram", k, k);
  Kokkos::parallel_for(
      "kaa::gram", Kokkos::RangePolicy<ExecSpace>(0, k * k), KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t a = e / k, b = e % k;
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) s += static_cast<double>(Z(a, f)) * Z(b, f);
        G(a, b) = s;
      });
  return G;
}

/// C = X Z^T (n x k) in double: one pass over X.
template <class S>
Kokkos::View<double**, Kokkos::LayoutRight, MemSpace> data_archetype_products(const Matrix<S>& X,
                                                                              const Matrix<S>& Z) {
  const std::size_t n = X.extent(0), k = Z.extent(0), d = X.extent(1);
  Kokkos::View<double**, Kokkos::LayoutRight, MemSpace> C("kaa::xzt", n, k);
  Kokkos::parallel_for(
      "kaa::xzt", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          double s = 0;
          for (std::size_t f = 0; f < d; ++f) s += static_cast<double>(X(i, f)) * Z(j, f);
          C(i, j) = s;
        }
      });
  return C;
}

}  // namespace kaa::kernels
