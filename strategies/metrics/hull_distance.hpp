#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// min over w on the n-simplex of ||z - X^T w||, solved per archetype by accelerated projected
/// gradient (FISTA, Beck & Teboulle 2009) with the Frank-Wolfe duality gap as a certificate; in the
/// fitted space.
template <class S>
class HullDistance final : public Metric<S> {
 public:
  static constexpr const char* name = "hull_distance";
  static constexpr const char* summary =
      "Euclidean distance of each archetype to the data's convex hull (QP, with a certified gap)";
  static Schema schema();
  explicit HullDistance(const nlohmann::json& params);
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;

 private:
  int max_iter_;
  double tol_;
};

}  // namespace kaa::strategies
