#pragma once
#include <cstddef>
#include <vector>

#include "framework/types.hpp"

namespace kaa::analysis {

/// Distances of points to the convex hull of the rows of X, each with a certificate.
struct HullDistances {
  std::vector<double> distance;     // to the hull point found: an upper bound of the true distance
  std::vector<double> lower_bound;  // certified lower bound of the true distance (duality gap)
  std::vector<double> gap;          // Frank-Wolfe duality gap on the squared distance
  std::vector<std::size_t> iterations;
  bool converged = false;  // every distance - lower_bound <= tolerance
};

/// For each row z of `points` (k x d), min ||z - w X||_c over w on the n-simplex, where
/// ||v||_c^2 = sum_f c_f v_f^2 with c = feature_weight (all ones when empty). Stops per point once
/// distance - lower_bound <= tolerance (same units as the distance) or after max_iter iterations.
/// Work per iteration: one pass over X for all points; memory O(n k), never n x n.
template <class S>
HullDistances hull_distances(const Matrix<S>& X, const Matrix<S>& points,
                             const Vector<double>& feature_weight, double tolerance,
                             std::size_t max_iter);

}  // namespace kaa::analysis
