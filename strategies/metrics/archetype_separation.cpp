#include "strategies/metrics/archetype_separation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kaa::strategies {

template <class S>
Schema ArchetypeSeparation<S>::schema() {
  return Schema();
}

template <class S>
void ArchetypeSeparation<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  // k x k x d on the host: k is small and the archetypes are already there in original units.
  const HostMatrix& Z = in.archetypes_original;
  double smallest = std::numeric_limits<double>::infinity(), largest = 0, sum = 0;
  std::size_t pairs = 0;
  for (std::size_t a = 0; a < Z.rows; ++a)
    for (std::size_t b = a + 1; b < Z.rows; ++b) {
      double s = 0;
      for (std::size_t f = 0; f < Z.cols; ++f) s += (Z(a, f) - Z(b, f)) * (Z(a, f) - Z(b, f));
      const double dist = std::sqrt(s);
      smallest = std::min(smallest, dist);
      largest = std::max(largest, dist);
      sum += dist;
      ++pairs;
    }
  const nlohmann::json none;
  out["archetype_separation_min"] = pairs > 0 ? nlohmann::json(smallest) : none;
  out["archetype_separation_mean"] = pairs > 0 ? nlohmann::json(sum / pairs) : none;
  out["archetype_separation_max"] = pairs > 0 ? nlohmann::json(largest) : none;
  out["archetype_separation_ratio"] =
      pairs > 0 && largest > 0 ? nlohmann::json(smallest / largest) : none;
}

template class ArchetypeSeparation<float>;
template class ArchetypeSeparation<double>;

}  // namespace kaa::strategies
