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

/// Minimum-total-cost assignment of the rows of an r x c cost matrix (r <= c) to distinct
/// columns: the Hungarian method (Kuhn 1955; Munkres 1957) in its O(r^2 c) shortest augmenting
/// path form with row and column potentials.
std::vector<std::size_t> min_cost_assignment(const HostMatrix& cost);

/// Minimum-total-distance matching of the rows of a (k_a x d) to distinct rows of b (k_b x d),
/// k_a <= k_b. Throws InputError on mismatched widths or k_a > k_b.
Matching match_archetypes(const HostMatrix& a, const HostMatrix& b);

}  // namespace kaa::analysis
