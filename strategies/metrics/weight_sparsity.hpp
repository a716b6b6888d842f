#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// Per row: the fraction of entries below `threshold`, and Hoyer's sparsity (sqrt(k) -
/// |a|_1/|a|_2)/(sqrt(k) - 1) (Hoyer 2004; 0 = uniform, 1 = one-hot); means over rows.
template <class S>
class WeightSparsity final : public Metric<S> {
 public:
  static constexpr const char* name = "weight_sparsity";
  static constexpr const char* summary =
      "share of weights below a threshold and mean Hoyer sparsity of the weight rows";
  static Schema schema();
  explicit WeightSparsity(const nlohmann::json& params);
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;

 private:
  double threshold_;
};

}  // namespace kaa::strategies
