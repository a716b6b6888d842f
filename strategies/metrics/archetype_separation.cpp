#include "strategies/metrics/archetype_separation.hpp"

#include <algorithm>
#include <cmath>

#include "framework/host_transfer.hpp"

namespace kaa::strategies {

template <class S>
Schema ArchetypeSeparation<S>::schema() {
  return Schema();
}

template <class S>
ArchetypeSeparation<S>::ArchetypeSeparation(const nlohmann::json&) {}

template <class S>
void ArchetypeSeparation<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  const HostMatrix Z =
      in.archetypes_original.rows > 0 ? in.archetypes_original : to_host(in.params.archetypes);
  if (Z.rows < 2) return;  // one archetype has no pairs
  double lo = 1e300, hi = 0, sum = 0;
  std::size_t pairs = 0;
  for (std::size_t a = 0; a < Z.rows; ++a)
    for (std::size_t b = a + 1; b < Z.rows; ++b) {
      double s = 0;
      for (std::size_t f = 0; f < Z.cols; ++f) s += (Z(a, f) - Z(b, f)) * (Z(a, f) - Z(b, f));
      const double dist = std::sqrt(s);
      lo = std::min(lo, dist);
      hi = std::max(hi, dist);
      sum += dist;
      ++pairs;
    }
  out["archetype_separation"] = {{"min", lo},
                                 {"mean", sum / static_cast<double>(pairs)},
                                 {"max", hi},
                                 {"min_over_max", hi > 0 ? lo / hi : 0.0}};
}

template class ArchetypeSeparation<float>;
template class ArchetypeSeparation<double>;

}  // namespace kaa::strategies
