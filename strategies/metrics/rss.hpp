#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// Residual sum of squares sum_i ||x_i - a_i Z||^2 in the data's original units, and its mean
/// per row ("mse_per_row").
template <class S>
class Rss final : public Metric<S> {
 public:
  static constexpr const char* name = "rss";
  // Sample weights: the weighted RSS and its mean over the total weight.
  static constexpr bool weighted = true;
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "residual sum of squares ||X - A Z||_F^2 in original units";
  static Schema schema();
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;
};

}  // namespace kaa::strategies
