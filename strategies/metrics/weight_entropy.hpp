#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// H(a_i) = -sum_j a_ij log a_ij (0 log 0 = 0), divided by log k; mean, std, min and max over rows.
template <class S>
class WeightEntropy final : public Metric<S> {
 public:
  static constexpr const char* name = "weight_entropy";
  static constexpr const char* summary =
      "mean entropy of the weight rows, normalised by log k (1 = uniform, 0 = one archetype per "
      "point)";
  static Schema schema();
  explicit WeightEntropy(const nlohmann::json& params);
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;
};

}  // namespace kaa::strategies
