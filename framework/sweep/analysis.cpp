#include "framework/sweep/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "framework/analysis/hungarian.hpp"

namespace kaa::sweep {

InformationGain information_gain(std::vector<std::pair<long long, double>> k_and_error) {
  std::sort(k_and_error.begin(), k_and_error.end());
  InformationGain g;
  for (const auto& [k, e] : k_and_error) {
    g.ks.push_back(k);
    g.errors.push_back(e);
  }
  const std::size_t m = g.ks.size();
  g.gains.assign(m, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 1; i < m; ++i)
    g.gains[i] = g.errors[i - 1] > 0 ? (g.errors[i - 1] - g.errors[i]) / g.errors[i - 1] : 0.0;
  if (m >= 3) {
    std::size_t best_j = 1;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t j = 1; j + 1 < m; ++j) {
      const double drop = g.gains[j + 1] - g.gains[j];
      if (drop < best) {  // first of equal drops, as numpy's argmin
        best = drop;
        best_j = j;
      }
    }
    g.elbow_k = g.ks[best_j];
    g.elbow_k_archetypax = g.ks[best_j + 1];
  }
  return g;
}

std::vector<double> pairwise_matched_distances(const std::vector<HostMatrix>& archetypes) {
  std::vector<double> out;
  for (std::size_t a = 0; a < archetypes.size(); ++a)
    for (std::size_t b = a + 1; b < archetypes.size(); ++b)
      if (archetypes[a].rows == archetypes[b].rows && archetypes[a].cols == archetypes[b].cols &&
          archetypes[a].rows > 0)
        out.push_back(analysis::match_archetypes(archetypes[a], archetypes[b]).mean_distance);
  return out;
}

}  // namespace kaa::sweep
