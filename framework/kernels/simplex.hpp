#pragma once
#include <Kokkos_Core.hpp>

#include "framework/types.hpp"

namespace kaa::kernels {

namespace detail {

/// w <- max(eps, w) / max(eps, sum(max(eps, w))) along row `line` of W, or along column `line`
/// when kColumn.
template <bool kColumn, class S>
KOKKOS_INLINE_FUNCTION void clamp_renormalize_line(const Matrix<S>& W, std::size_t line, S eps) {
  const std::size_t count = kColumn ? W.extent(0) : W.extent(1);
  S sum = 0;
  for (std::size_t j = 0; j < count; ++j) {
    S& w = kColumn ? W(j, line) : W(line, j);
    w = w > eps ? w : eps;
    sum += w;
  }
  if (sum < eps) sum = eps;
  for (std::size_t j = 0; j < count; ++j) (kColumn ? W(j, line) : W(line, j)) /= sum;
}

}  // namespace detail

/// archetypax's "simplex projection": w <- max(eps, w) / max(eps, sum(max(eps, w))), row i of W.
template <class S>
KOKKOS_INLINE_FUNCTION void clamp_renormalize_row(const Matrix<S>& W, std::size_t i, S eps) {
  detail::clamp_renormalize_line<false>(W, i, eps);
}

/// The same along column c of W (Biarchetypal's column weights, one simplex per column).
template <class S>
KOKKOS_INLINE_FUNCTION void clamp_renormalize_column(const Matrix<S>& W, std::size_t c, S eps) {
  detail::clamp_renormalize_line<true>(W, c, eps);
}

/// Exact Euclidean projection of the k entries at w onto the probability simplex, in place, in
/// double whatever T is. Michelot's algorithm (Condat, "Fast projection onto the simplex and the
/// l1 ball", Math. Program. 2016, sec. 3): the threshold tau only grows, so the active set can be
/// re-derived from tau each pass and no scratch memory is needed; at most k passes of O(k).
template <class T>
KOKKOS_INLINE_FUNCTION void euclidean_simplex(T* w, std::size_t k) {
  double sum = 0;
  for (std::size_t j = 0; j < k; ++j) sum += w[j];
  double tau = (sum - 1.0) / static_cast<double>(k);
  for (std::size_t pass = 0; pass < k; ++pass) {
    double active_sum = 0;
    std::size_t active = 0;
    for (std::size_t j = 0; j < k; ++j) {
      if (w[j] > tau) {
        active_sum += w[j];
        ++active;
      }
    }
    const double next = (active_sum - 1.0) / static_cast<double>(active);
    if (next <= tau) break;
    tau = next;
  }
  for (std::size_t j = 0; j < k; ++j) {
    const double v = w[j] - tau;
    w[j] = static_cast<T>(v > 0 ? v : 0);
  }
}

/// euclidean_simplex on row i of W (rows are contiguous: LayoutRight).
template <class S>
KOKKOS_INLINE_FUNCTION void euclidean_simplex_row(const Matrix<S>& W, std::size_t i) {
  euclidean_simplex(&W(i, 0), W.extent(1));
}

}  // namespace kaa::kernels
