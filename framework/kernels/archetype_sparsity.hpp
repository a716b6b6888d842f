#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/types.hpp"

// archetypax's Sparse AA penalties on the archetypes' entries.
namespace kaa::kernels {

enum class SparsityMeasure {
  l1,                // |z|
  l0_approx,         // 1 - exp(-z^2 / width)
  feature_selection  // -|z| log(|z| + eps); with raw_log -z log(z + eps), NaN below -eps
};

/// Returns sum over the entries z of Z of g(z) for the chosen measure, and when grad is non-empty
/// ADDS c g'(z) into grad (k x d). At z = 0 the slope of |z| is taken as 0.
template <class Space, class S>
double sparsity_penalty(const Space& space, const Matrix<S>& Z, SparsityMeasure measure,
                        bool raw_log, double width, double eps, double c, const Matrix<S>& grad) {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  const bool want_grad = grad.data() != nullptr;
  if (want_grad) {
    require_extent(grad, 0, k, "sparsity_penalty", "grad");
    require_extent(grad, 1, d, "sparsity_penalty", "grad");
  }
  double total = 0;
  Kokkos::parallel_reduce(
      "kaa::archetype_sparsity", Kokkos::RangePolicy<Space>(space, 0, k * d),
      KOKKOS_LAMBDA(const std::size_t e, double& acc) {
        const double z = static_cast<double>(Z(e / d, e % d));
        const double sign = z > 0 ? 1.0 : (z < 0 ? -1.0 : 0.0);
        double g = 0, dg = 0;
        if (measure == SparsityMeasure::l1) {
          g = sign * z;
          dg = sign;
        } else if (measure == SparsityMeasure::l0_approx) {
          const double t = exp(-z * z / width);
          g = 1.0 - t;
          dg = 2.0 * z / width * t;
        } else if (raw_log) {
          const double l = log(z + eps);
          g = -z * l;
          dg = -(l + z / (z + eps));
        } else {
          const double a = sign * z;
          const double l = log(a + eps);
          g = -a * l;
          // At z = 0 the one-sided slopes differ in sign; 0 is the subgradient autodiff of |z|
          // gives.
          dg = -sign * (l + a / (a + eps));
        }
        acc += g;
        if (want_grad) grad(e / d, e % d) += static_cast<S>(c * dg);
      },
      total);
  return total;
}

}  // namespace kaa::kernels
