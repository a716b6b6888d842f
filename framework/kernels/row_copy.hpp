#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/types.hpp"

// Copies of one data row, for initializers that pick rows of X.
namespace kaa::kernels {

/// Z(to, :) = X(from, :).
template <class Space, class S>
void copy_row(const Space& space, const Matrix<S>& X, std::size_t from, const Matrix<S>& Z,
              std::size_t to, const char* label) {
  const std::size_t d = X.extent(1);
  require(from < X.extent(0), "copy_row", "source row out of range");
  require(to < Z.extent(0), "copy_row", "target row out of range");
  require_extent(Z, 1, d, "copy_row", "Z");
  Kokkos::parallel_for(
      label, Kokkos::RangePolicy<Space>(space, 0, d),
      KOKKOS_LAMBDA(const std::size_t f) { Z(to, f) = X(from, f); });
}

/// out(0, f) = double(X(from, f)) for f < d; out's padding (row length >= d) is left as it is.
template <class Space, class S>
void copy_row_to_double(const Space& space, const Matrix<S>& X, std::size_t from,
                        const Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>& out,
                        const char* label) {
  const std::size_t d = X.extent(1);
  require(from < X.extent(0), "copy_row_to_double", "source row out of range");
  require(out.extent(0) >= 1 && out.extent(1) >= d, "copy_row_to_double",
          "out must have a row of at least d entries");
  Kokkos::parallel_for(
      label, Kokkos::RangePolicy<Space>(space, 0, d),
      KOKKOS_LAMBDA(const std::size_t f) { out(0, f) = static_cast<double>(X(from, f)); });
}

}  // namespace kaa::kernels
