#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

// The sort-based Euclidean projection onto the simplex (Held, Wolfe & Crowder 1974; Condat 2016,
// Algorithm 1): sort, find the threshold from the largest entries down, shift and clip.
namespace kaa::kernels {

namespace simplex_sort_detail {

/// Restores the max-heap property of v(r, [0, end)) below `root`.
KOKKOS_INLINE_FUNCTION void sift_down(const Matrix<double>& v, std::size_t r, std::size_t root,
                                      std::size_t end) {
  while (2 * root + 1 < end) {
    std::size_t child = 2 * root + 1;
    if (child + 1 < end && v(r, child) < v(r, child + 1)) ++child;
    if (!(v(r, root) < v(r, child))) return;
    const double tmp = v(r, root);
    v(r, root) = v(r, child);
    v(r, child) = tmp;
    root = child;
  }
}

/// Heap sort of row r of v into increasing order.
KOKKOS_INLINE_FUNCTION void heap_sort_row(const Matrix<double>& v, std::size_t r) {
  const std::size_t m = v.extent(1);
  for (std::size_t start = m / 2; start-- > 0;) sift_down(v, r, start, m);
  for (std::size_t end = m; end-- > 1;) {
    const double tmp = v(r, 0);
    v(r, 0) = v(r, end);
    v(r, end) = tmp;
    sift_down(v, r, 0, end);
  }
}

}  // namespace simplex_sort_detail

/// Every row of W onto the probability simplex (Euclidean), by sorting a double copy of the row
/// in `sorted` (scratch, sized to W here: allocates only when W's shape changes).
template <class Space, class S>
void simplex_sort_rows(const Space& space, const Matrix<S>& W, Matrix<double>& sorted) {
  const std::size_t rows = W.extent(0), cols = W.extent(1);
  fit_extents(sorted, "kaa::simplex_sort.sorted", rows, cols);
  const Matrix<double> u = sorted;
  Kokkos::parallel_for(
      "kaa::simplex_sort", Kokkos::RangePolicy<Space>(space, 0, rows),
      KOKKOS_LAMBDA(const std::size_t r) {
        for (std::size_t c = 0; c < cols; ++c) u(r, c) = static_cast<double>(W(r, c));
        simplex_sort_detail::heap_sort_row(u, r);
        // Walk from the largest entry; the condition holds exactly for j = 1..rho.
        double cumulative = 0, tau = 0;
        for (std::size_t j = 1; j <= cols; ++j) {
          const double value = u(r, cols - j);
          cumulative += value;
          const double t = (cumulative - 1.0) / static_cast<double>(j);
          if (value > t) tau = t;
        }
        for (std::size_t c = 0; c < cols; ++c) {
          const double v = static_cast<double>(W(r, c)) - tau;
          W(r, c) = static_cast<S>(v > 0 ? v : 0.0);
        }
      });
}

}  // namespace kaa::kernels
