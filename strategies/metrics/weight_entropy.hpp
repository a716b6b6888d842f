#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// Entropy of each row of the weights, H(a) = -sum_j p_j ln p_j with p = a / sum(a) (0 ln 0 = 0,
/// negative entries counted as 0, as scipy.stats.entropy, which archetypax's weight_diversity
/// uses), divided by ln k: 0 when a point sits on one archetype, 1 when its weights are uniform.
/// Writes the mean over rows as "weight_entropy" and its std, min and max; all null when k = 1.
/// Rows without any positive weight have no entropy and are left out (with a warning).
template <class S>
class WeightEntropy final : public Metric<S> {
 public:
  static constexpr const char* name = "weight_entropy";
  // Sample weights: weighted mean and std over rows; min and max over rows of positive weight.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "row entropy of the weights / ln k (mean, std, min, max): 0 one archetype, 1 uniform";
  static Schema schema();
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;
};

}  // namespace kaa::strategies
