#pragma once
#include <cmath>
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/types.hpp"

// Per-row summaries of the weights (rows of A on the simplex) for the metrics; -1 marks a row
// where the summary is undefined.
namespace kaa::kernels {

/// Per row i of A (n x k): fraction(i) = share of weights below threshold; hoyer(i) = Hoyer's
/// sparsity (sqrt(k) - l1 / l2) / (sqrt(k) - 1) clipped to [0, 1], or -1 when k < 2 or the row is
/// all zero (Hoyer, JMLR 2004).
template <class Space, class S>
void row_sparsity(const Space& space, const Matrix<S>& A, double threshold,
                  const Vector<double>& fraction, const Vector<double>& hoyer) {
  const std::size_t n = A.extent(0), k = A.extent(1);
  require_extent(fraction, 0, n, "row_sparsity", "fraction");
  require_extent(hoyer, 0, n, "row_sparsity", "hoyer");
  const double root_k = std::sqrt(static_cast<double>(k));
  Kokkos::parallel_for(
      "kaa::weight_sparsity", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        double below = 0, l1 = 0, l2 = 0;
        for (std::size_t j = 0; j < k; ++j) {
          const double a = static_cast<double>(A(i, j));
          below += a < threshold ? 1.0 : 0.0;
          l1 += fabs(a);
          l2 += a * a;
        }
        fraction(i) = below / static_cast<double>(k);
        if (k < 2 || !(l2 > 0)) {
          hoyer(i) = -1.0;  // undefined: one archetype, or an all-zero row
          return;
        }
        const double h = (root_k - l1 / sqrt(l2)) / (root_k - 1.0);
        hoyer(i) = h < 0 ? 0.0 : (h > 1 ? 1.0 : h);
      });
}

/// Per row i of A (n x k, k >= 2): the entropy of the row's positive weights rescaled to sum 1,
/// divided by ln k and clipped to [0, 1]; -1 for a row without positive weight.
template <class Space, class S>
void row_normalized_entropy(const Space& space, const Matrix<S>& A, const Vector<double>& out) {
  const std::size_t n = A.extent(0), k = A.extent(1);
  require(k >= 2, "row_normalized_entropy", "needs at least 2 columns");
  require_extent(out, 0, n, "row_normalized_entropy", "out");
  const double log_k = std::log(static_cast<double>(k));
  Kokkos::parallel_for(
      "kaa::weight_entropy", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        double mass = 0;
        for (std::size_t j = 0; j < k; ++j) mass += A(i, j) > 0 ? static_cast<double>(A(i, j)) : 0;
        if (!(mass > 0)) {
          out(i) = -1.0;  // no distribution to measure
          return;
        }
        double h = 0;
        for (std::size_t j = 0; j < k; ++j) {
          if (A(i, j) > 0) {
            const double p = static_cast<double>(A(i, j)) / mass;
            h -= p * log(p);
          }
        }
        const double normalized = h / log_k;
        out(i) = normalized < 0 ? 0.0 : (normalized > 1 ? 1.0 : normalized);
      });
}

}  // namespace kaa::kernels
