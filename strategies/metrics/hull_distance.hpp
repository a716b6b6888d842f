#pragma once
#include <cstddef>

#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// Euclidean distance of each archetype to the convex hull of the data, in the data's original
/// units, solved exactly: min ||z - w X|| over w on the n-simplex by Frank-Wolfe with away steps
/// (framework/analysis/hull_distance.hpp), whose duality gap certifies the answer. Writes
/// "hull_distance_max" and "hull_distance_mean" (distances to the hull points found: each within
/// the certified error of the true distance), "hull_distance_error" (largest certified error:
/// distance minus its lower bound), "hull_distance_gap" (largest duality gap on the squared
/// distance), "hull_distance_outside" (archetypes whose certified lower bound exceeds the
/// tolerance: surely outside the hull), "hull_distance_iterations" (largest per archetype) and
/// "hull_distance_converged". Costs one pass over X per iteration: opt-in.
template <class S>
class HullDistance final : public Metric<S> {
 public:
  static constexpr const char* name = "hull_distance";
  static constexpr const char* summary =
      "certified distance of each archetype to the data's convex hull (original units)";
  struct Params {
    double tolerance = 1e-4;
    std::size_t max_iter = 5000;
  };
  static BoundSchema<Params> schema();
  explicit HullDistance(const Params& config);
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
