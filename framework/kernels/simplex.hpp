#pragma once
#include <Kokkos_Core.hpp>

#include "framework/types.hpp"

namespace kaa::kernels {

/// archetypax's "simplex projection": w <- max(eps, w) / max(eps, sum(max(eps, w))), row i of W.
template <class S>
KOKKOS_INLINE_FUNCTION void clamp_renormalize_row(const Matrix<S>& W, std::size_t i, S eps) {
  const std::size_t k = W.extent(1);
  S sum = 0;
  for (std::size_t j = 0; j < k; ++j) {
    const S w = W(i, j) > eps ? W(i, j) : eps;
    W(i, j) = w;
    sum += w;
  }
  if (sum < eps) sum = eps;
  for (std::size_t j = 0; j < k; ++j) W(i, j) /= sum;
}

/// Exact Euclidean projection of row i of W onto the probability simplex, in place.
/// Michelot's algorithm (Condat, "Fast projection onto the simplex and the l1 ball", Math.
/// Program. 2016, sec. 3): the threshold tau only grows, so the active set can be re-derived from
/// tau each pass and no scratch memory is needed; at most k passes of O(k).
template <class S>
KOKKOS_INLINE_FUNCTION void euclidean_simplex_row(const Matrix<S>& W, std::size_t i) {
  const std::size_t k = W.extent(1);
  double sum = 0;
  for (std::size_t j = 0; j < k; ++j) sum += W(i, j);
  double tau = (sum - 1.0) / static_cast<double>(k);
  for (std::size_t pass = 0; pass < k; ++pass) {
    double active_sum = 0;
    std::size_t active = 0;
    for (std::size_t j = 0; j < k; ++j) {
      if (W(i, j) > tau) {
        active_sum += W(i, j);
        ++active;
      }
    }
    const double next = (active_sum - 1.0) / static_cast<double>(active);
    if (next <= tau) break;
    tau = next;
  }
  for (std::size_t j = 0; j < k; ++j) {
    const double v = W(i, j) - tau;
    W(i, j) = static_cast<S>(v > 0 ? v : 0);
  }
}

}  // namespace kaa::kernels
