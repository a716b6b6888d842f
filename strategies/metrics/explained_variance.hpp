#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// 1 - RSS / TSS, TSS = sum_i ||x_i - mean(X)||^2, both in the data's original units.
template <class S>
class ExplainedVariance final : public Metric<S> {
 public:
  static constexpr const char* name = "explained_variance";
  // Sample weights: weighted RSS over the weighted TSS (weighted means).
  static constexpr bool weighted = true;
  static constexpr bool distributed = true;
  static constexpr const char* summary = "1 - RSS / total sum of squares about the column means";
  static Schema schema();
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;
};

}  // namespace kaa::strategies
