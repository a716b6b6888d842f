#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/metric.hpp"

namespace kaa::strategies {

/// Two sparsity measures of the rows a of the weights (n x k), each averaged over rows:
/// - "weight_sparsity_fraction": the fraction of a row's k weights below `threshold`
///   (0 = every archetype used, (k-1)/k = one archetype carries the point);
/// - "weight_sparsity_hoyer": Hoyer's sparsity (sqrt(k) - ||a||_1 / ||a||_2) / (sqrt(k) - 1)
///   (Hoyer, "Non-negative matrix factorization with sparseness constraints", JMLR 2004):
///   0 for uniform weights, 1 for a single non-zero weight, threshold-free; null when k = 1, and
///   all-zero rows are left out.
template <class S>
class WeightSparsity final : public Metric<S> {
 public:
  static constexpr const char* name = "weight_sparsity";
  // Sample weights: weighted means over rows.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "mean fraction of weights below a threshold, and mean Hoyer sparsity of the weight rows";
  struct Params {
    double threshold = 0.01;
  };
  static BoundSchema<Params> schema();
  explicit WeightSparsity(const Params& config);
  void compute(const MetricInputs<S>& in, nlohmann::json& out) override;

 private:
  Params config_;
};

}  // namespace kaa::strategies
