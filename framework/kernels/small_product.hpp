#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// C = op(A) op(B), or C += op(A) op(B) when `accumulate`, for small factors (one sequential
/// double sum per entry of C); op(A) is A^T when ta, op(B) is B^T when tb.
template <class Space, class S>
void small_product(const Space& space, const Matrix<S>& A, bool ta, const Matrix<S>& B, bool tb,
                   const Matrix<S>& C, bool accumulate) {
  const std::size_t rows = C.extent(0), cols = C.extent(1);
  const std::size_t inner = ta ? A.extent(0) : A.extent(1);
  const char* entry = "small_product";
  require_extent(A, ta ? 1 : 0, rows, entry, ta ? "A (transposed)" : "A");
  require_extent(B, tb ? 1 : 0, inner, entry, tb ? "B (transposed)" : "B");
  require_extent(B, tb ? 0 : 1, cols, entry, tb ? "B (transposed)" : "B");
  Kokkos::parallel_for(
      "kaa::biarchetypal.product",
      Kokkos::MDRangePolicy<Space, Kokkos::Rank<2>>(space, {0, 0}, {rows, cols}),
      KOKKOS_LAMBDA(const std::size_t i, const std::size_t j) {
        double s = 0;
        for (std::size_t l = 0; l < inner; ++l)
          s += static_cast<double>(ta ? A(l, i) : A(i, l)) * (tb ? B(j, l) : B(l, j));
        C(i, j) = static_cast<S>(accumulate ? C(i, j) + s : s);
      });
}

}  // namespace kaa::kernels
