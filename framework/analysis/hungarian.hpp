#pragma once
#include <cstddef>
#include <vector>

#include "framework/host_matrix.hpp"

namespace kaa::analysis {

struct Matching {
  std::vector<std::size_t> assignment;  // row i of a matched to row assignment[i] of b
  std::vector<double> distances;        // Euclidean distance of each matched pair
  double mean_distance = 0, max_distance = 0;
};

/// Minimum-total-distance matching of the rows of a (k_a x d) to distinct rows of b (k_b x d),
/// k_a <= k_b. Throws kaa::Error when k_a > k_b, the column counts differ or a value is not finite.
/// With k_a = 0 the matching is empty and its mean and max are 0.
Matching match_archetypes(const HostMatrix& a, const HostMatrix& b);

/// The assignment problem itself: rows of `cost` (r x c, r <= c, finite) to distinct columns
/// minimising the summed cost; returns the column of each row.
std::vector<std::size_t> min_cost_assignment(const HostMatrix& cost);

}  // namespace kaa::analysis
