#include "strategies/metrics/hull_distance.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "framework/analysis/hull_distance.hpp"
#include "framework/kernels/reconstruction.hpp"
#include "framework/logging.hpp"

namespace kaa::strategies {

template <class S>
auto HullDistance<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("tolerance", &Params::tolerance)
      .positive()
      .doc("stop once each distance is certified to this fraction of the data's RMS spread");
  s.integer("max_iter", &Params::max_iter)
      .min(1)
      .doc("iteration cap per archetype (one pass over X each)");
  return s;
}

template <class S>
HullDistance<S>::HullDistance(const Params& p) : config_(p) {}

template <class S>
void HullDistance<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  // Standardising is an affine map per feature, so the hull is solved in the fitted space and
  // measured in original units by weighting each feature's squared difference by std_f^2.
  const double tss = kernels::total_sum_of_squares(in.X, in.squared_error_scale);
  const double spread = std::sqrt(tss / static_cast<double>(in.X.extent(0)));
  const double tolerance = config_.tolerance * spread;
  const analysis::HullDistances h = analysis::hull_distances(
      in.X, in.params.archetypes, in.squared_error_scale, tolerance, config_.max_iter);
  const std::size_t k = h.distance.size();
  double largest = 0, sum = 0, error = 0, gap = 0;
  std::size_t outside = 0, iterations = 0;
  for (std::size_t j = 0; j < k; ++j) {
    largest = std::max(largest, h.distance[j]);
    sum += h.distance[j];
    error = std::max(error, h.distance[j] - h.lower_bound[j]);
    gap = std::max(gap, h.gap[j]);
    outside += h.lower_bound[j] > tolerance ? 1 : 0;
    iterations = std::max(iterations, h.iterations[j]);
  }
  if (!h.converged)
    logging::warning("hull_distance: not certified within max_iter = " +
                     std::to_string(config_.max_iter) + " iterations; largest error bound " +
                     std::to_string(error) + " (tolerance " + std::to_string(tolerance) + ")");
  out["hull_distance_max"] = largest;
  out["hull_distance_mean"] = sum / static_cast<double>(k);
  out["hull_distance_error"] = error;
  out["hull_distance_gap"] = gap;
  out["hull_distance_outside"] = outside;
  out["hull_distance_iterations"] = iterations;
  out["hull_distance_converged"] = h.converged;
}

template class HullDistance<float>;
template class HullDistance<double>;

}  // namespace kaa::strategies
