#pragma once
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "framework/host_matrix.hpp"

namespace kaa::sweep {

/// Information gain over the number of archetypes k (archetypax's ArchetypalAnalysisInterpreter):
/// over ascending k, gain_k = (err_prev - err_k) / err_prev, where err is the reconstruction
/// error (here the mean RSS over seeds; archetypax's mean squared row error differs by the
/// constant n, which cancels).
struct InformationGain {
  std::vector<long long> ks;   // ascending
  std::vector<double> errors;  // err_k
  std::vector<double> gains;   // gains[0] = NaN (no previous k)
  /// The elbow: the k after which the gain drops the most, i.e. ks[j] for
  /// j = argmin_j (gain_{j+1} - gain_j), j >= 1. Needs at least three ks.
  std::optional<long long> elbow_k;
  /// archetypax's suggest_optimal_archetypes("information_gain"): ks[j + 1] for the same j
  /// ("+1 because diff reduces array size by 1"), one k past the elbow; kept for comparison.
  std::optional<long long> elbow_k_archetypax;
};
InformationGain information_gain(std::vector<std::pair<long long, double>> k_and_error);

/// Stability across seeds: for every pair of runs of one configuration, the mean Euclidean
/// distance between their archetypes under the optimal one-to-one matching (Hungarian method).
/// 0 = every seed finds the same archetypes. Pairs whose shapes differ are left out.
std::vector<double> pairwise_matched_distances(const std::vector<HostMatrix>& archetypes);

}  // namespace kaa::sweep
