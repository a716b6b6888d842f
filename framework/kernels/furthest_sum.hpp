#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/types.hpp"

// The device pass of FurthestSum (Mørup & Hansen 2012): a running sum of distances to the chosen
// rows; the search for the furthest row runs on the host.
namespace kaa::kernels {

/// sum(i) += sign * ||X(i, :) - X(row, :)|| for every row i of X.
template <class Space, class S>
void add_row_distances(const Space& space, const Matrix<S>& X, std::size_t row, double sign,
                       const Vector<double>& sum) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  require_extent(sum, 0, n, "add_row_distances", "sum");
  require(row < n, "add_row_distances", "row out of range");
  Kokkos::parallel_for(
      "kaa::furthest_sum.distances", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) {
          const double diff = static_cast<double>(X(i, f)) - static_cast<double>(X(row, f));
          s += diff * diff;
        }
        sum(i) += sign * sqrt(s);
      });
}

}  // namespace kaa::kernels
