#include "strategies/projectors/simplex_sort.hpp"

namespace kaa::strategies {

namespace {

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

}  // namespace

template <class S>
Schema SimplexSort<S>::schema() {
  return Schema();
}

template <class S>
SimplexSort<S>::SimplexSort(const nlohmann::json&) {}

template <class S>
void SimplexSort<S>::project(Matrix<S>& block, const Matrix<S>&) {
  const std::size_t rows = block.extent(0), cols = block.extent(1);
  if (sorted_.extent(0) != rows || sorted_.extent(1) != cols)
    sorted_ = Matrix<double>("kaa::simplex_sort.sorted", rows, cols);
  const Matrix<S> W = block;
  const Matrix<double> u = sorted_;
  Kokkos::parallel_for(
      "kaa::simplex_sort", Kokkos::RangePolicy<ExecSpace>(0, rows),
      KOKKOS_LAMBDA(const std::size_t r) {
        for (std::size_t c = 0; c < cols; ++c) u(r, c) = static_cast<double>(W(r, c));
        heap_sort_row(u, r);
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

template class SimplexSort<float>;
template class SimplexSort<double>;

}  // namespace kaa::strategies
