#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/types.hpp"

// The device passes of archetypax's column start of the biarchetypal model: per-feature variance
// and norm, then a greedy pick of features far from the chosen ones in cosine.
namespace kaa::kernels {

/// Per feature f of X: variance(f) = population variance (two passes, as numpy's var) and
/// norm2(f) = sum_i X(i, f)^2, in double.
template <class Space, class S>
void column_variance_and_norm2(const Space& space, const Matrix<S>& X,
                               const Vector<double>& variance, const Vector<double>& norm2) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  require_extent(variance, 0, d, "column_variance_and_norm2", "variance");
  require_extent(norm2, 0, d, "column_variance_and_norm2", "norm2");
  Kokkos::parallel_for(
      "kaa::column_variance_cosine.stats", Kokkos::RangePolicy<Space>(space, 0, d),
      KOKKOS_LAMBDA(const std::size_t f) {
        double mean = 0, sq = 0;
        for (std::size_t i = 0; i < n; ++i) {
          mean += X(i, f);
          sq += static_cast<double>(X(i, f)) * X(i, f);
        }
        mean /= static_cast<double>(n);
        double var = 0;
        for (std::size_t i = 0; i < n; ++i) {
          const double c = static_cast<double>(X(i, f)) - mean;
          var += c * c;
        }
        variance(f) = var / static_cast<double>(n);
        norm2(f) = sq;
      });
}

/// min_dist(f) <- min(min_dist(f), 1 - |x_f . x_s| / sqrt(norm2(f) norm2(s) + eps)) for every
/// feature f, x_f the f-th column of X.
template <class Space, class S>
void shrink_cosine_distances(const Space& space, const Matrix<S>& X, std::size_t s,
                             const Vector<double>& norm2, double eps,
                             const Vector<double>& min_dist) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  require(s < d, "shrink_cosine_distances", "feature s out of range");
  require_extent(norm2, 0, d, "shrink_cosine_distances", "norm2");
  require_extent(min_dist, 0, d, "shrink_cosine_distances", "min_dist");
  Kokkos::parallel_for(
      "kaa::column_variance_cosine.cos", Kokkos::RangePolicy<Space>(space, 0, d),
      KOKKOS_LAMBDA(const std::size_t f) {
        double dot = 0;
        for (std::size_t i = 0; i < n; ++i) dot += static_cast<double>(X(i, f)) * X(i, s);
        const double dist = 1.0 - fabs(dot) / sqrt(norm2(f) * norm2(s) + eps);
        if (dist < min_dist(f)) min_dist(f) = dist;
      });
}

}  // namespace kaa::kernels
