#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/row_tiles.hpp"
#include "framework/types.hpp"

// The device pass of k-means++ seeding (Arthur & Vassilvitskii 2007): after each pick every row's
// squared distance to its nearest pick shrinks; the D^2 draw itself runs on the host.
namespace kaa::kernels {

/// min_dist(i) <- min(min_dist(i), ||X(i, :) - center(0, :d)||^2) for every row i of X; center is
/// a padded double row.
template <class Space, class S>
void shrink_min_distances(const Space& space, const Matrix<S>& X, const Work& center,
                          const Vector<double>& min_dist) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  require_extent(min_dist, 0, n, "shrink_min_distances", "min_dist");
  require(center.extent(0) >= 1 && center.extent(1) >= d, "shrink_min_distances",
          "center must have a row of at least d entries");
  Kokkos::parallel_for(
      "kaa::kmeans_pp.update", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        const double s = squared_distance(&X(i, 0), &center(0, 0), d);
        if (s < min_dist(i)) min_dist(i) = s;
      });
}

}  // namespace kaa::kernels
