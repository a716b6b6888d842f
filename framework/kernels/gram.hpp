#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// G = Z Z^T (k x k, sized here) in double.
template <class Space, class S>
void archetype_gram(const Space& space, const Matrix<S>& Z, Matrix<double>& gram) {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  fit_extents(gram, "kaa::gram", k, k);
  const Matrix<double> G = gram;
  Kokkos::parallel_for(
      "kaa::gram", Kokkos::RangePolicy<Space>(space, 0, k * k), KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t a = e / k, b = e % k;
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) s += static_cast<double>(Z(a, f)) * Z(b, f);
        G(a, b) = s;
      });
}

template <class S>
Matrix<double> archetype_gram(const Matrix<S>& Z) {
  Matrix<double> G;
  archetype_gram(ExecSpace(), Z, G);
  return G;
}

}  // namespace kaa::kernels
